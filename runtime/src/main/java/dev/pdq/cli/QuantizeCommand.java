package dev.pdq.cli;

import dev.pdq.adpcm.ImaWavWriter;
import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.SampleReader;
import dev.pdq.audio.SampleWriter;
import dev.pdq.codes.CodeStreamFormat;
import dev.pdq.codes.CodeStreamWriter;
import dev.pdq.codes.CodeStreamWriterV2;
import dev.pdq.io.AudioStreams;
import dev.pdq.io.InputFormat;
import dev.pdq.io.OutputFormat;
import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.Scheme;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.concurrent.Callable;

/** pdq quantize: the sensor-side encoder. PCM on stdin, a packed code stream (or on-grid PCM) on stdout. */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Quantize audio from stdin to a packed code stream (or low-bit PCM) on stdout.",
                "At 4 bits the code stream is a quarter of the size of 16-bit PCM."})
public final class QuantizeCommand implements Callable<Integer> {
    @Mixin
    BitsOption bitsOption = new BitsOption();

    @Mixin
    SchemeOptions schemeOptions = new SchemeOptions();

    @Option(names = "--output", paramLabel = "codes|s16le|wav", defaultValue = "codes",
            converter = Output.Names.class,
            description = "codes: packed code stream (default); s16le or wav: 16-bit PCM whose samples lie on the"
                    + " grid (for tools that only read PCM).")
    Output output;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "16000",
            description = "Sample rate of raw input (default: ${DEFAULT-VALUE}); WAV input carries its own.")
    int rate;

    @Option(names = "--channels", paramLabel = "N", defaultValue = "1",
            description = "Channels of raw input (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--input-format", paramLabel = "FMT", defaultValue = "auto",
            converter = Formats.InputNames.class,
            description = "auto, s16le, f32le, wav (default: ${DEFAULT-VALUE}).")
    InputFormat inputFormat;

    @Option(names = "--block", paramLabel = "FRAMES",
            description = "Sample frames a code-stream block holds at most (default: 320, 20 ms at 16 kHz; with"
                    + " --scheme bfp 1280); a block also goes out whenever the input goes idle.")
    Integer blockOption;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Quantize the FILEs (not stdin) into DIR, each under its own name (.pdqc, .wav or .raw),"
                    + " in one process; a file that fails is reported and skipped.")
    java.nio.file.Path outputDir;

    @picocli.CommandLine.Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Input files, with --output-dir.")
    java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();

    private final InputStream in;
    private final OutputStream out;
    /** The regular file behind {@code out}, if any: an IMA ADPCM WAV's header gets its exact sizes there. */
    private final java.util.Optional<java.nio.file.Path> outFile;

    public QuantizeCommand() {
        this(StdStreams.stdin(), StdStreams.stdout(), StdStreams.stdoutFile());
    }

    QuantizeCommand(InputStream in, OutputStream out) {
        this(in, out, java.util.Optional.empty());
    }

    QuantizeCommand(InputStream in, OutputStream out, java.util.Optional<java.nio.file.Path> outFile) {
        this.in = in;
        this.out = out;
        this.outFile = outFile;
    }

    /**
     * Ends the output: the writer's trailer, then, for an IMA ADPCM WAV in a regular file, the header's sizes and
     * sample count (a pipe keeps the unknown-length header, and its last block's padding).
     */
    private static void end(SampleWriter writer, OutputStream out, java.util.Optional<java.nio.file.Path> outFile,
                            long frames) throws java.io.IOException {
        writer.finish();
        out.flush();
        if (writer instanceof ImaWavWriter && outFile.isPresent()) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(outFile.get(),
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                ImaWavWriter.patchSizes(ch, frames);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        int bits = bitsOption.bits();
        Scheme scheme = schemeOptions.scheme();
        int gainBlock = schemeOptions.gainBlock();
        boolean bfp = scheme == Scheme.BFP;
        int block = blockOption != null ? blockOption
                : bfp ? CodeStreamFormat.DEFAULT_BFP_BLOCK_FRAMES : CodeStreamFormat.DEFAULT_BLOCK_FRAMES;
        boolean ima = scheme == Scheme.IMA_ADPCM;
        if (ima && bits != 4) {
            throw PdqException.usage("--scheme ima-adpcm is 4 bits a sample, not " + bits);
        }
        if (ima && output != Output.CODES) {
            throw PdqException.usage("--scheme ima-adpcm writes an IMA ADPCM WAV: --output "
                    + output.name().toLowerCase(Locale.ROOT) + " does not apply");
        }
        if (bfp) {
            if (bits < BlockFloatQuantizer.MIN_BITS || bits > BlockFloatQuantizer.MAX_BITS) {
                throw PdqException.usage("--scheme bfp takes --bits " + BlockFloatQuantizer.MIN_BITS + ".."
                        + BlockFloatQuantizer.MAX_BITS + ", not " + bits);
            }
            if (block % gainBlock != 0) {
                throw PdqException.usage("--gain-block " + gainBlock + " must divide --block " + block);
            }
            if (output != Output.CODES) {
                throw PdqException.usage("--scheme bfp writes a code stream: --output "
                        + output.name().toLowerCase(Locale.ROOT)
                        + " cannot carry its exponents");
            }
        }
        if (block < 1 || block > CodeStreamFormat.MAX_BLOCK_FRAMES) {
            throw PdqException.usage("--block " + block + " is not in 1.." + CodeStreamFormat.MAX_BLOCK_FRAMES);
        }
        Formats.checkChannels(channels);
        if (inputFormat == InputFormat.CODES) {
            throw PdqException.usage("--input-format codes: the input of quantize is PCM");
        }
        if ((outputDir == null) != files.isEmpty()) {
            throw PdqException.usage(outputDir == null ? "input files need --output-dir DIR (stdin needs none)"
                    : "--output-dir needs input files");
        }
        Quantizing q = new Quantizing(bits, scheme, gainBlock, block);
        if (outputDir != null) {
            String extension = ima || output == Output.WAV ? ".wav" : output == Output.S16LE ? ".raw" : ".pdqc";
            return FileBatch.run("pdq quantize", outputDir, files, extension,
                    (i, o, f) -> quantize(i, o, java.util.Optional.of(f), q));
        }
        quantize(in, out, outFile, q);
        return ExitCodes.OK;
    }

    /** The checked settings of the encoder. */
    private record Quantizing(int bits, Scheme scheme, int gainBlock, int block) {
    }

    /** One stream: PCM in, codes (or on-grid PCM) out; a fault after everything before it was written. */
    private void quantize(InputStream in, OutputStream out, java.util.Optional<java.nio.file.Path> outFile,
                          Quantizing q) throws java.io.IOException, PdqException {
        int bits = q.bits();
        int gainBlock = q.gainBlock();
        int block = q.block();
        boolean bfp = q.scheme() == Scheme.BFP;
        boolean ima = q.scheme() == Scheme.IMA_ADPCM;
        SampleReader reader = Formats.openInput(in, inputFormat, channels, rate);
        if (reader.bits() > 0) {
            throw PdqException.failure("input: this is already a code stream; quantize reads PCM");
        }
        int ch = reader.channels();
        int sampleRate = reader.sampleRate() > 0 ? reader.sampleRate() : rate;
        Quantizer quantizer = new Quantizer(bits);
        SampleWriter writer = switch (output) {
            case CODES -> ima ? ImaWavWriter.open(out, ch, sampleRate)
                    : bfp ? CodeStreamWriterV2.bfp(out, new BlockFloatQuantizer(bits, gainBlock), ch, sampleRate, block)
                    : new CodeStreamWriter(out, bits, ch, sampleRate, block);
            case S16LE -> AudioStreams.openOutput(out, OutputFormat.S16LE, ch, sampleRate);
            case WAV -> AudioStreams.openOutput(out, OutputFormat.WAV, ch, sampleRate);
        };
        boolean pcm = output != Output.CODES;
        float[] buf = new float[ch * 4096];
        long frames = 0;
        while (true) {
            int got;
            try {
                got = reader.read(buf, 0, buf.length);
            } catch (AudioFormatException e) {
                end(writer, out, outFile, frames);
                throw PdqException.failure("input: " + e.getMessage() + "; the " + frames
                        + " samples per channel before it were written out");
            }
            if (got < 0) {
                end(writer, out, outFile, frames);
                return;
            }
            if (pcm) {
                quantizer.quantize(buf, 0, buf, 0, got);
            }
            writer.write(buf, 0, got);
            frames += got / ch;
            if (reader.available() == 0) {
                writer.flush();
            }
        }
    }

    /** What --output writes. */
    enum Output {
        CODES, S16LE, WAV;

        /** codes, s16le, wav, exactly. */
        static final class Names extends EnumConverter<Output> {
            Names() {
                super(values(), o -> o.name().toLowerCase(Locale.ROOT), false);
            }
        }
    }
}
