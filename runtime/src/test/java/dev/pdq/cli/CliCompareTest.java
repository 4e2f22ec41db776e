package dev.pdq.cli;

import dev.pdq.audio.PcmWriter;
import dev.pdq.audio.SampleEncoding;
import dev.pdq.demo.SpeechSynth;
import dev.pdq.quality.Snr;
import dev.pdq.quality.Stoi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pdq compare: SNR, segmental SNR and STOI of each file, at the reference's rate (raw input: --rate). */
class CliCompareTest {
    private static final int RATE = 8000;

    @TempDir
    Path dir;

    @Test
    void printsStoiBesideTheSnrs() throws IOException {
        float[] clean = onGrid(SpeechSynth.generate(2.0, RATE, 21));
        float[] noisy = new float[clean.length];
        Random rnd = new Random(3);
        for (int i = 0; i < clean.length; i++) {
            noisy[i] = clean[i] + (float) (0.05 * rnd.nextGaussian());
        }
        noisy = onGrid(noisy);
        Path ref = write("ref.wav", clean, true);
        Path y = write("noisy.wav", noisy, true);
        String expected = String.format(Locale.ROOT, "SNR %7.2f dB   segmental SNR %7.2f dB   STOI %.4f",
                Snr.snr(clean, noisy), Snr.segmental(clean, noisy, 320), Stoi.stoi(clean, noisy, RATE));

        Cli.Result wav = Cli.inProcess(new CompareCommand(), ref.toString(), y.toString());
        assertEquals(ExitCodes.OK, wav.exitCode(), wav::toString);
        assertEquals(1, wav.linesContaining(expected), wav::toString);

        Path rawRef = write("ref.raw", clean, false);
        Path rawY = write("noisy.raw", noisy, false);
        Cli.Result raw = Cli.inProcess(new CompareCommand(), "--rate", Integer.toString(RATE), rawRef.toString(),
                rawY.toString());
        assertEquals(1, raw.linesContaining(expected), "raw input at --rate scores as the WAV: " + raw);
        Cli.Result wrongRate = Cli.inProcess(new CompareCommand(), rawRef.toString(), rawY.toString());
        assertEquals(0, wrongRate.linesContaining(expected), "raw input taken as 16 kHz by default: " + wrongRate);

        Cli.Result bad = Cli.inProcess(new CompareCommand(), "--rate", "0", rawRef.toString(), rawY.toString());
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad::toString);
    }

    @Test
    void tooLittleSpeechPrintsADashAndWhy() throws IOException {
        float[] clean = onGrid(SpeechSynth.generate(0.25, RATE, 1));
        Path ref = write("short.wav", clean, true);
        Cli.Result r = Cli.inProcess(new CompareCommand(), ref.toString(), ref.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertEquals(1, r.linesContaining("STOI -"), r::toString);
        assertEquals(1, r.linesContaining("one segment needs 30"), r::toString);
    }

    /** The values 16-bit PCM stores exactly, so that what compare reads back is x itself. */
    private static float[] onGrid(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768f))) / 32768f;
        }
        return y;
    }

    private Path write(String name, float[] x, boolean wav) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p);
             PcmWriter w = wav ? PcmWriter.wav(out, SampleEncoding.S16LE, 1, RATE)
                     : PcmWriter.raw(out, SampleEncoding.S16LE, 1)) {
            w.write(x, 0, x.length);
        }
        return p;
    }
}
