package dev.pdq.cli;

import dev.pdq.operator.BuiltinModels;
import dev.pdq.operator.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per fault of the command line: a one-line error on stderr naming the problem and where it was found
 * (byte offset, block, file, option), exit code 1 (2 for usage errors, whose line is followed by where to look),
 * no stack trace, and every sample decoded before the fault written out: the output holds exactly the whole
 * samples before it, and they are the samples a clean run gives.
 */
class CliFaultTest {
    static final String[] ENGINE = {"--model", "dct", "--iterations", "10", "--backend", "java"};
    /** One LSB of s16: float results differing in their last bits may round to neighbouring s16 values. */
    static final float S16_BATCHING_TOLERANCE = 1f / 32768;

    /** An input that must never be read: a usage error is reported before stdin is touched. */
    static final class NeverRead extends InputStream {
        @Override
        public int read() {
            throw new AssertionError("stdin was read before the usage error was reported");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return read();
        }
    }

    static String[] args(String... more) {
        String[] all = Arrays.copyOf(ENGINE, ENGINE.length + more.length);
        System.arraycopy(more, 0, all, ENGINE.length, more.length);
        return all;
    }

    /** Exit code 1, one line "pdq dequantize: ..." containing every given fragment, nothing else but log lines. */
    static void assertFailure(Cli.Result r, String command, String... fragments) {
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r::toString);
        List<String> lines = r.errorLines();
        assertEquals(1, lines.size(), () -> "not one error line:\n" + r.stderr());
        assertMessage(lines.get(0), command, fragments);
        assertFalse(r.stderr().contains("\tat ") || r.stderr().contains("internal error"), r.stderr());
    }

    /** Exit code 2, the error line and "Try 'pdq CMD --help'." (and a suggestion for a misspelt option). */
    static void assertUsage(Cli.Result r, String command, String... fragments) {
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        List<String> lines = r.errorLines();
        assertTrue(lines.size() == 2 || lines.size() == 3 && lines.get(1).startsWith("Possible solutions"),
                () -> "not an error line and a hint:\n" + r.stderr());
        assertMessage(lines.get(0), command, fragments);
        assertEquals("Try 'pdq " + command + " --help'.", lines.get(lines.size() - 1));
        assertFalse(r.stderr().contains("\tat ") || r.stderr().contains("internal error"), r.stderr());
        assertEquals(0, r.stdout().length, "output after a usage error");
    }

    static void assertMessage(String line, String command, String... fragments) {
        assertTrue(line.startsWith("pdq " + command + ": "), line);
        for (String f : fragments) {
            assertTrue(line.contains(f), () -> "'" + f + "' not in: " + line);
        }
    }

    static float[] grid(int length, long seed) {
        float[] v = dev.pdq.demo.SpeechSynth.generate(length / (double) Cli.RATE + 0.05, Cli.RATE, seed);
        return GenerateCliGoldenVectors.quantized(Arrays.copyOf(v, length), 4);
    }

    /** The s16le output of a clean run on the same samples: what a faulty stream must give up to its fault. */
    static float[] clean(float[] x, int channels) {
        Cli.Result r = Cli.dequantize(Cli.s16le(x), args("--input-format", "s16le", "--channels",
                String.valueOf(channels)));
        assertEquals(0, r.exitCode(), r::toString);
        return Cli.fromS16le(r.stdout());
    }

    /**
     * The output of a run that ended at a fault against a clean run of the samples before it: the same length, and
     * the same values up to the rounding to s16 of float results that may differ in the last bit, as the frames
     * near the end are solved in other batches (the clean run sees its input go idle before its end).
     */
    static void assertSameSamples(float[] clean, Cli.Result faulty) {
        float[] y = Cli.fromS16le(faulty.stdout());
        assertEquals(clean.length, y.length, "samples written out before the fault");
        for (int i = 0; i < y.length; i++) {
            assertEquals(clean[i], y[i], S16_BATCHING_TOLERANCE, "sample " + i);
        }
    }

    // ---- input faults: exit 1, everything before the fault written out ----

    @Test
    void truncatedWavHeader() {
        byte[] wav = Cli.encode("wav", grid(100, 1), 1);
        Cli.Result r = Cli.dequantize(Arrays.copyOf(wav, 30), args());
        assertFailure(r, "dequantize", "input: ", "(at byte offset ");
        assertEquals(0, r.stdout().length);
    }

    @Test
    void malformedWavHeader() {
        byte[] wav = Cli.encode("wav", grid(100, 1), 1);
        wav[32] = 3; // block align 3 for one 16-bit channel
        Cli.Result r = Cli.dequantize(wav, args());
        assertFailure(r, "dequantize", "input: ", "block align", "(at byte offset 32)");
        assertEquals(0, r.stdout().length);
    }

    @Test
    void wavDataEndingInsideASampleFrame() {
        float[] x = grid(2 * 1000, 2);
        byte[] wav = Cli.encode("wav", x, 2);
        byte[] cut = Arrays.copyOf(wav, wav.length - 1); // 999 whole stereo frames and 3 bytes
        Cli.Result r = Cli.dequantize(cut, args());
        assertFailure(r, "dequantize", "input: ", "(at byte offset " + (44 + 999 * 4) + ")", "999 samples per channel");
        assertSameSamples(clean(Arrays.copyOf(x, 2 * 999), 2), r);
    }

    @Test
    void oddNumberOfBytesInS16le() {
        float[] x = grid(1001, 3);
        byte[] in = Arrays.copyOf(Cli.s16le(x), 2 * 1001 + 1);
        Cli.Result r = Cli.dequantize(in, args("--input-format", "s16le"));
        assertFailure(r, "dequantize", "input: ", "(at byte offset 2002)", "1001 samples per channel");
        assertSameSamples(clean(x, 1), r);
    }

    @Test
    void f32leNotAMultipleOfFourBytes() {
        float[] x = grid(700, 4);
        byte[] in = Arrays.copyOf(Cli.f32le(x), 4 * 700 + 3);
        Cli.Result r = Cli.dequantize(in, args("--input-format", "f32le"));
        assertFailure(r, "dequantize", "input: ", "(at byte offset 2800)");
        assertSameSamples(clean(x, 1), r);
    }

    @Test
    void nonFiniteFloatSample() {
        float[] x = grid(900, 5);
        float[] bad = x.clone();
        bad[777] = Float.NaN;
        Cli.Result r = Cli.dequantize(Cli.f32le(bad), args("--input-format", "f32le"));
        assertFailure(r, "dequantize", "input: ", "(at byte offset " + 4 * 777 + ")");
        assertSameSamples(clean(Arrays.copyOf(x, 777), 1), r);
    }

    /** 10 blocks of 100 frames; block 4 (at byte 18 + 4 * (2 + 50 + 4) = 242) has a flipped bit. */
    @Test
    void corruptCodeStreamBlock() {
        float[] x = grid(1000, 6);
        byte[] codes = quantize(x, "--block", "100");
        codes[242 + 2 + 10] ^= 0x10;
        Cli.Result r = Cli.dequantize(codes, args());
        assertFailure(r, "dequantize", "input: ", "block 4", "CRC", "(at byte offset 242)",
                "400 samples per channel");
        assertSameSamples(clean(Arrays.copyOf(x, 400), 1), r);
    }

    @Test
    void codeStreamEndingInsideABlock() {
        float[] x = grid(1000, 7);
        byte[] codes = quantize(x, "--block", "100");
        Cli.Result r = Cli.dequantize(Arrays.copyOf(codes, 18 + 7 * 56 + 30), args());
        assertFailure(r, "dequantize", "input: ", "block 7", "ended inside");
        assertSameSamples(clean(Arrays.copyOf(x, 700), 1), r);
    }

    @Test
    void codeStreamWithoutEndMarker() {
        float[] x = grid(1000, 8);
        byte[] codes = quantize(x, "--block", "100");
        Cli.Result r = Cli.dequantize(Arrays.copyOf(codes, codes.length - 14), args());
        assertFailure(r, "dequantize", "input: ", "without an end marker", "(at byte offset " + (18 + 10 * 56) + ")");
        assertSameSamples(clean(x, 1), r);
    }

    @Test
    void quantizeInputFaultStillEndsItsCodeStreamCleanly() {
        float[] x = grid(555, 9);
        byte[] in = Arrays.copyOf(Cli.s16le(x), 2 * 555 + 1);
        Cli.Result q = Cli.quantize(in, "--input-format", "s16le");
        assertFailure(q, "quantize", "input: ", "(at byte offset 1110)", "555 samples per channel");
        // the samples before the fault, as a valid code stream of exactly those
        assertArrayEquals(quantize(x), q.stdout());
    }

    // ---- the model ----

    @Test
    void unreadableModelFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pdqk");
        Cli.Result r = Cli.dequantize(Cli.s16le(grid(500, 10)), "--model", missing.toString());
        assertFailure(r, "dequantize", missing.toString(), "no such file");
        assertEquals(0, r.stdout().length);

        Cli.Result d = Cli.dequantize(Cli.s16le(grid(500, 10)), "--model", dir.toString());
        assertFailure(d, "dequantize", dir.toString(), "cannot read");
        assertEquals(0, d.stdout().length);
    }

    @Test
    void corruptModelFile(@TempDir Path dir) throws IOException {
        byte[] model = ModelFile.toBytes(BuiltinModels.dct(4));
        Path flipped = dir.resolve("flipped.pdqk");
        byte[] b = model.clone();
        b[b.length / 2] ^= 0x01; // a bit of K: only the checksum can tell
        Files.write(flipped, b);
        Cli.Result r = Cli.dequantize(Cli.s16le(grid(500, 11)), "--model", flipped.toString());
        assertFailure(r, "dequantize", flipped.toString(), "CRC");
        assertEquals(0, r.stdout().length);

        Path truncated = dir.resolve("truncated.pdqk");
        Files.write(truncated, Arrays.copyOf(model, model.length - 1000));
        Cli.Result t = Cli.dequantize(Cli.s16le(grid(500, 11)), "--model", truncated.toString());
        assertFailure(t, "dequantize", truncated.toString(), "byte ");
        assertEquals(0, t.stdout().length);
    }

    // ---- contradictions between the command line, the input and the model ----

    /** A model file made for 16 kHz: the rate of a model is a fact of the file, checked against the input. */
    static String[] sixteenKilohertzModel(Path dir) throws IOException {
        Path model = dir.resolve("dct16k.pdqk");
        ModelFile.write(BuiltinModels.dct(4), model);
        return new String[] {"--model", model.toString(), "--iterations", "10", "--backend", "java"};
    }

    @Test
    void rawInputAtAnotherRateThanTheModel(@TempDir Path dir) throws IOException {
        String[] engine = sixteenKilohertzModel(dir);
        String[] a = Arrays.copyOf(engine, engine.length + 2);
        a[engine.length] = "--rate";
        a[engine.length + 1] = "8000";
        Cli.Result r = Cli.dequantize(Cli.s16le(grid(500, 12)), a);
        assertFailure(r, "dequantize", "8000 Hz", "16000 Hz");
        assertEquals(0, r.stdout().length);
    }

    static byte[] wavAt8kHz(float[] x) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var w = dev.pdq.io.AudioStreams.openOutput(out, dev.pdq.io.OutputFormat.WAV, 1, 8000)) {
            w.write(x, 0, x.length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void wavAtAnotherRateThanTheModel(@TempDir Path dir) throws IOException {
        Cli.Result r = Cli.dequantize(wavAt8kHz(grid(500, 13)), sixteenKilohertzModel(dir));
        assertFailure(r, "dequantize", "8000 Hz", "16000 Hz");
        assertEquals(0, r.stdout().length);
    }

    /** K = DCT works at any rate: 20 ms frames, 160 samples at 8 kHz (issue 18). */
    @Test
    void theDctRunsAt8kHz() {
        float[] x = grid(500, 13);
        Cli.Result r = Cli.dequantize(wavAt8kHz(x), args("--shifts", "1"));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(2 * x.length, r.stdout().length);
        assertTrue(r.stderr().contains("8000 Hz"), r::toString);
        float[] y = Cli.fromS16le(r.stdout());
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs(y[i] - x[i]) <= 1f / 16 + 1f / 32768, "sample " + i + " left its cell");
        }
    }

    @Test
    void rateContradictingTheWavHeader() {
        Cli.Result r = Cli.dequantize(Cli.encode("wav", grid(500, 14), 1), args("--rate", "8000"));
        assertUsage(r, "dequantize", "--rate 8000", "16000 Hz");
    }

    @Test
    void bitsContradictingTheCodeStream() {
        Cli.Result r = Cli.dequantize(quantize(grid(500, 15)), args("--bits", "8"));
        assertUsage(r, "dequantize", "--bits 8", "4 bits");
    }

    @Test
    void quantizeRefusesACodeStream() {
        Cli.Result q = Cli.quantize(quantize(grid(100, 16)));
        assertFailure(q, "quantize", "already a code stream");
    }

    // ---- usage errors: exit 2, before stdin is read ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--frobnicate", "--shifts 3", "--shifts 0", "--shifts 16", "--batch 0", "--batch 4097",
            "--iterations -1", "--iterations 1000001", "--iterations many", "--bits 0", "--bits 17", "--channels 0",
            "--channels 65", "--input-format mp3", "--output-format ogg", "--backend cuda", "--batch",
            "--solver-threads 0", "--solver-threads 257", "--solver-threads two"})
    void usageErrorOfDequantize(String option) {
        Cli.Result r = usageError("dequantize", option, out -> new DequantizeCommand(new NeverRead(), out));
        String[] words = option.split(" ");
        if (words.length > 1) {
            assertMessage(r.errorLines().get(0), "dequantize", words[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--frobnicate", "--bits 0", "--bits 17", "--block 0", "--block 4097", "--channels 0",
            "--output flac", "--input-format codes", "--input-format mp3"})
    void usageErrorOfQuantize(String option) {
        usageError("quantize", option, out -> new QuantizeCommand(new NeverRead(), out));
    }

    /** The command made by {@code make} (writing to its stdout) on the words of {@code option}: a usage error. */
    private static Cli.Result usageError(String command, String option,
                                         java.util.function.Function<ByteArrayOutputStream, Object> make) {
        String[] words = option.split(" ");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Cli.Result r = Cli.inProcess(make.apply(out), out, words);
        assertUsage(r, command, words[0]);
        return r;
    }

    static byte[] quantize(float[] x, String... more) {
        String[] a = Arrays.copyOf(new String[] {"--input-format", "s16le"}, 2 + more.length);
        System.arraycopy(more, 0, a, 2, more.length);
        Cli.Result q = Cli.quantize(Cli.s16le(x), a);
        assertEquals(0, q.exitCode(), q::toString);
        return q.stdout();
    }
}
