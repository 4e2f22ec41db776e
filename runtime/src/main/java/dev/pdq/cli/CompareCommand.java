package dev.pdq.cli;

import dev.pdq.audio.SampleReader;
import dev.pdq.io.AudioStreams;
import dev.pdq.io.InputFormat;
import dev.pdq.quality.Snr;
import dev.pdq.quality.Stoi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** pdq compare: SNR and STOI of signals against a clean reference, to check what a pipe did. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the SNR, segmental SNR (20 ms segments) and STOI (short-time objective intelligibility,"
                + " 0..1) of each FILE against REFERENCE to stderr. Files are WAV, a code stream, or raw s16le mono"
                + " at the reference's rate.")
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REFERENCE", description = "The clean signal.")
    Path reference;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Signals to compare.")
    List<Path> files;

    @Option(names = "--segment", defaultValue = "320",
            description = "Samples per segment for the segmental SNR (default: ${DEFAULT-VALUE}).")
    int segment;

    @Option(names = "--rate", defaultValue = "16000",
            description = "Sample rate of raw input, for STOI (default: ${DEFAULT-VALUE}); WAV input carries its own.")
    int rawRate;

    /** The reference's sample rate, set by the first read. */
    private int rate;

    @Override
    public Integer call() throws Exception {
        if (rawRate <= 0) {
            throw PdqException.usage("--rate " + rawRate + " must be positive");
        }
        float[] ref = read(reference);
        for (Path f : files) {
            float[] y = read(f);
            if (y.length != ref.length) {
                throw PdqException.failure(f + ": " + y.length + " samples, but " + reference + " has " + ref.length);
            }
            System.err.printf(java.util.Locale.ROOT, "%-40s SNR %7.2f dB   segmental SNR %7.2f dB   STOI %s%n", f,
                    Snr.snr(ref, y), Snr.segmental(ref, y, segment), stoi(ref, y));
        }
        return ExitCodes.OK;
    }

    /** STOI as text, or "-" with the reason on stderr (too little speech, an unknown or unusable rate). */
    private String stoi(float[] ref, float[] y) {
        try {
            return String.format(java.util.Locale.ROOT, "%.4f", Stoi.stoi(ref, y, rate));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return "-";
        }
    }

    private float[] read(Path file) throws IOException, PdqException {
        try (InputStream in = Files.newInputStream(file);
             SampleReader r = AudioStreams.openInput(in, InputFormat.AUTO, 1, rawRate)) {
            float[] all = new float[1 << 16];
            int len = 0;
            while (true) {
                if (len + r.channels() > all.length) {
                    all = Arrays.copyOf(all, all.length * 2);
                }
                int got = r.read(all, len, all.length - len);
                if (got < 0) {
                    break;
                }
                len += got;
            }
            if (r.channels() != 1) {
                throw PdqException.failure(file + ": compare takes mono signals, this has " + r.channels()
                        + " channels");
            }
            if (rate == 0) {
                rate = r.sampleRate();
            }
            return Arrays.copyOf(all, len);
        } catch (dev.pdq.audio.AudioFormatException e) {
            throw PdqException.failure(file + ": " + e.getMessage());
        }
    }
}
