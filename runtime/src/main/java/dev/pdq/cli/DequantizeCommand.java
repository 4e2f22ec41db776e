package dev.pdq.cli;

import dev.pdq.adpcm.ImaEncoder;
import dev.pdq.audio.CellReader;
import dev.pdq.audio.SampleReader;
import dev.pdq.audio.SampleWriter;
import dev.pdq.blas.Blas;
import dev.pdq.device.DeviceProfile;
import dev.pdq.engine.Engine;
import dev.pdq.engine.EngineSettings;
import dev.pdq.io.AudioStreams;
import dev.pdq.io.InputFormat;
import dev.pdq.io.OutputFormat;
import dev.pdq.operator.BuiltinModels;
import dev.pdq.operator.Operator;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.StreamKind;
import dev.pdq.stream.DequantizerSettings;
import dev.pdq.stream.StreamDequantizer;
import dev.pdq.stream.StreamPump;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** pdq dequantize: quantized audio on stdin, dequantized audio on stdout, frame by frame as it arrives. */
@Command(name = "dequantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Dequantize audio from stdin to stdout, frame by frame, as it arrives.",
                "Input: s16le or f32le raw, WAV (16-bit PCM or 32-bit float, any channel count), or a pdq code"
                        + " stream. Every output sample stays within half a quantization cell of its input."})
public final class DequantizeCommand implements Callable<Integer> {
    @Option(names = "--bits", paramLabel = "1..16",
            description = "Bits of the quantization grid of the input (default: the code stream's, else 4).")
    Integer bits;

    @Option(names = "--rate", paramLabel = "HZ",
            description = "Sample rate of raw input (default: 16000; WAV and code streams carry their own, which it"
                    + " must not contradict); it picks the built-in model, and a model file must match it.")
    Integer rate;

    @Option(names = "--channels", paramLabel = "N", defaultValue = "1",
            description = "Channels of raw input, interleaved (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = {"-L", "--iterations"}, paramLabel = "L",
            description = "Primal-dual iterations per frame (default: the profile's, else the model's trained L).")
    Integer iterations;

    @Option(names = "--batch", paramLabel = "B",
            description = "Frames solved together (default: the device profile's). 1 gives the lowest latency.")
    Integer batch;

    @Option(names = "--shifts", paramLabel = "S",
            description = "Shifted frame grids averaged (1, 2, 4 or 8; default: the model's, else the profile's)."
                    + " Without --model, 1 picks the built-in model trained for one grid where there is one.")
    Integer shifts;

    @Option(names = "--input-format", paramLabel = "FMT", defaultValue = "auto",
            converter = Formats.InputNames.class, completionCandidates = Formats.InputNames.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: WAV and code streams are recognized"
                    + " by their header, anything else is s16le).")
    InputFormat inputFormat;

    @Option(names = "--output-format", paramLabel = "FMT",
            converter = Formats.OutputNames.class, completionCandidates = Formats.OutputNames.class,
            description = "${COMPLETION-CANDIDATES} (wav: 16-bit; default: s16le, with --output-dir wav).")
    OutputFormat outputFormat;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Dequantize the FILEs (not stdin) into DIR, each under its own name (.wav, .raw or .f32),"
                    + " in one process; a file that fails is reported and skipped.")
    Path outputDir;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Input files, with --output-dir.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--adpcm-encoder", paramLabel = "NAME", defaultValue = "sox",
            converter = ImaEncoderNames.class,
            description = "The encoder that wrote IMA ADPCM input, which sets its cells: pdq, sox (sox's own cells:"
                    + " exact for sox -D, and the best measured for sox's dithered files and pdq's too), sox-dither"
                    + " (sox's cells 11 LSB wider, which hold the clean samples under sox's dither; lower SNR on"
                    + " quiet input), ffmpeg (default: ${DEFAULT-VALUE}).")
    ImaEncoder adpcmEncoder;

    /** --adpcm-encoder by name. */
    static final class ImaEncoderNames extends EnumConverter<ImaEncoder> {
        ImaEncoderNames() {
            super(ImaEncoder.values(), ImaEncoder::cliName, false);
        }
    }

    @Option(names = "--silent-zero", description = "Frames whose every sample's cell holds 0 come out as 0: the"
            + " exact solution, which L iterations only approach.")
    boolean silentZero;

    @Option(names = "--quiet-fallback", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "On the fixed grid: a stretch of the stream that stays within the two middle levels for a"
                    + " second (speech at -20 dBFS and below does, at 4 bits) comes out as 0, the exact solution, not"
                    + " the model's (default: on; --no-quiet-fallback runs the model everywhere).")
    boolean quietFallback = true;

    @Option(names = "--stats", description = "Print frames, real-time factor, latency percentiles, backend and"
            + " off-grid count to stderr at the end.")
    boolean stats;

    @Mixin
    EngineOptions engine = new EngineOptions();

    private final InputStream in;
    private final OutputStream out;

    public DequantizeCommand() {
        this(StdStreams.stdin(), StdStreams.stdout());
    }

    DequantizeCommand(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Formats.checkChannels(channels);
        checkGivenOptions();
        if ((outputDir == null) != files.isEmpty()) {
            throw PdqException.usage(outputDir == null ? "input files need --output-dir DIR (stdin needs none)"
                    : "--output-dir needs input files");
        }
        EngineSettings settings = engine.settings();
        DeviceProfile profile = Engine.profile(settings);
        int solverThreads = Engine.solverThreads(settings, profile);
        Blas blas = Engine.blasForWorkers(settings, profile, solverThreads);
        if (outputDir != null) {
            OutputFormat format = outputFormat != null ? outputFormat : OutputFormat.WAV;
            String extension = format.isWav() ? ".wav" : format == OutputFormat.F32LE ? ".f32" : ".raw";
            return FileBatch.run("pdq dequantize", outputDir, files, extension,
                    (i, o, f) -> dequantize(i, o, format, settings, profile, blas, solverThreads));
        }
        dequantize(in, out, outputFormat != null ? outputFormat : OutputFormat.S16LE, settings, profile, blas,
                solverThreads);
        return ExitCodes.OK;
    }

    /**
     * One stream: opens its input, picks its model, streams it through, writes every sample out; its frames solved
     * on {@code solverThreads} threads ({@link Engine#solverThreads}).
     */
    private void dequantize(InputStream in, OutputStream out, OutputFormat outputFormat, EngineSettings settings,
                            DeviceProfile profile, Blas blas, int solverThreads) throws IOException, PdqException {
        SampleReader reader = Formats.openInput(in, inputFormat, channels, rate == null ? 0 : rate,
                adpcmEncoder);
        int streamBits = resolveBits(reader);
        int sampleRate = resolveRate(reader);
        StreamKind kind = reader instanceof CellReader c
                ? new StreamKind(c.scheme(), streamBits, sampleRate, c.blockLength())
                : StreamKind.uniform(streamBits, sampleRate);
        Engine.Model chosen;
        try {
            chosen = Engine.model(settings, kind, shifts);
        } catch (dev.pdq.engine.EngineException e) {
            throw PdqException.failure(e.getMessage());
        }
        Operator model = chosen.operator();
        if (model.sampleRate() != sampleRate) {
            throw PdqException.failure("the input is " + sampleRate + " Hz but the model was made for "
                    + model.sampleRate() + " Hz: resample it (e.g. sox in.wav -r " + model.sampleRate()
                    + " out.wav), or run K = DCT (--model dct), which works at any rate");
        }
        if (model.bits() != streamBits) {
            Logger.warn("the model was made for {}-bit input, the stream is {}-bit", model.bits(), streamBits);
        }
        int l = iterations != null ? iterations : profile.iterations().orElse(chosen.iterations());
        int b = batch != null ? batch : profile.batch();
        int s = shifts != null ? shifts : (model.shifts() > 1 ? model.shifts() : profile.shifts());
        checkSettings(l, b, s, model);

        int ch = reader.channels();
        SampleWriter writer = AudioStreams.openOutput(out, outputFormat, ch, sampleRate);
        StreamDequantizer stream;
        try {
            stream = StreamDequantizer.create(model, blas,
                    new DequantizerSettings(ch, s, b, l, silentZero, quietFallback, solverThreads), writer);
        } catch (IllegalArgumentException e) {
            throw PdqException.usage(e.getMessage());
        }
        int threads = stream.solverThreads();
        Logger.info("dequantizing {} with L = {}, B = {}, S = {} on {}, {} solver thread{}", reader.description(), l,
                b, s, blas.name(), threads, threads == 1 ? "" : "s");
        long start = System.nanoTime();
        try (stream) {
            new StreamPump(reader, stream, writer, StreamPump.DEFAULT_IDLE_NANOS).run();
        } catch (StreamPump.InputFault e) {
            throw new PdqException(ExitCodes.FAILURE, "input: " + e.getMessage() + "; the " + e.framesWritten()
                    + " samples per channel before it were written out", e);
        }
        long wall = System.nanoTime() - start;
        if (stream.offGridSamples() > 0) {
            Logger.warn("{} of {} input samples were not on the {}-bit grid; each was dequantized in a cell"
                            + " centered on it", stream.offGridSamples(), stream.received() * ch, streamBits);
        }
        if (stats) {
            Stats.print(stream, sampleRate, wall, blas);
        }
    }

    /** The numbers given on the command line, checked before stdin is read: a usage error never waits for input. */
    private void checkGivenOptions() throws PdqException {
        if (bits != null) {
            BitsOption.check(bits);
        }
        checkSettings(iterations == null ? 0 : iterations, batch == null ? 1 : batch, shifts == null ? 1 : shifts,
                null);
    }

    private int resolveBits(SampleReader reader) throws PdqException {
        if (reader.bits() > 0) {
            if (bits != null && bits != reader.bits()) {
                throw PdqException.usage("--bits " + bits + " contradicts the code stream, which carries "
                        + reader.bits() + " bits");
            }
            return reader.bits();
        }
        return BitsOption.check(bits != null ? bits : 4);
    }

    /** The stream's rate: its header's, else --rate, else 16000 Hz. */
    private int resolveRate(SampleReader reader) throws PdqException {
        int streamRate = reader.sampleRate();
        if (rate != null && streamRate > 0 && rate != streamRate) {
            throw PdqException.usage("--rate " + rate + " contradicts the input, which says " + streamRate + " Hz");
        }
        return streamRate > 0 ? streamRate : rate != null ? rate : BuiltinModels.SAMPLE_RATE;
    }

    /** Ranges of L, B and S; that S divides n once the model is known (model null: not yet). */
    private static void checkSettings(int l, int b, int s, Operator model) throws PdqException {
        if (l < 0 || l > Operator.MAX_ITERATIONS) {
            throw PdqException.usage("--iterations " + l + " is not in 0.." + Operator.MAX_ITERATIONS);
        }
        if (b < 1 || b > 4096) {
            throw PdqException.usage("--batch " + b + " is not in 1..4096");
        }
        if (s != 1 && s != 2 && s != 4 && s != 8) {
            throw PdqException.usage("--shifts " + s + " must be 1, 2, 4 or 8");
        }
        if (model != null && model.n() % s != 0) {
            throw PdqException.usage("--shifts " + s + " must divide the frame length " + model.n());
        }
    }
}
