package dev.pdq.cli;

import dev.pdq.demo.SpeechSynth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format round trips through the commands: pdq quantize from every PCM input format to every output, then pdq
 * dequantize from every input format (s16le, f32le, WAV 16-bit and float, code stream) to every output format,
 * mono and 2 and 3 channels, and channels dequantized independently.
 */
class CliRoundTripTest {
    static final int BITS = 4;
    static final double R = 1.0 / (1 << BITS);
    /** 0.3 s and a partial frame: 15 frames of 320 and 77 samples. */
    static final int LENGTH = 15 * 320 + 77;
    /** Few iterations: the formats are under test here, the solver in CliGoldenTest. */
    static final String[] ENGINE = {"--model", "dct", "--iterations", "10", "--backend", "java"};
    /**
     * A channel dequantized alone against the same channel in a multi-channel stream: the same frames, solved in
     * batches of different composition (B rows shared among the channels), so only float rounding of the products
     * may differ: the streaming tests' arrival tolerance.
     */
    static final float CHANNEL_TOLERANCE = 1e-5f;
    /** The same samples solved in batches of different composition (input arriving in other pieces). */
    static final float BATCHING_TOLERANCE = 1e-5f;

    static final String[] PCM_INPUTS = {"s16le", "f32le", "wav", "wav-f32"};
    static final String[] QUANTIZE_OUTPUTS = {"codes", "s16le", "wav"};

    /** Channel c: its own speech-like signal at its own level, so that channels mixed up are seen. */
    static float[] clean(int c) {
        float[] v = Arrays.copyOf(SpeechSynth.generate(0.32, Cli.RATE, 11 + c), LENGTH);
        float gain = 1f / (1 + c);
        for (int i = 0; i < v.length; i++) {
            v[i] *= gain;
        }
        return v;
    }

    /** Channels 0..channels-1 interleaved. */
    static float[] interleaved(int channels) {
        float[][] ch = new float[channels][];
        for (int c = 0; c < channels; c++) {
            ch[c] = clean(c);
        }
        return Cli.interleave(ch);
    }

    /** The values quantize sees for an input format: s16 input is rounded to 1/32768 first. */
    static float[] asRead(String format, float[] v) {
        return format.equals("s16le") || format.equals("wav") ? Cli.fromS16le(Cli.s16le(v)) : v.clone();
    }

    static String[] args(String[] engine, String... more) {
        return Stream.concat(Arrays.stream(engine), Arrays.stream(more)).toArray(String[]::new);
    }

    static Stream<Arguments> quantizeCases() {
        return IntStream.of(1, 2, 3).boxed().flatMap(c -> Arrays.stream(PCM_INPUTS).flatMap(in ->
                Arrays.stream(QUANTIZE_OUTPUTS).map(out -> Arguments.of(c, in, out))));
    }

    /** Every quantize output holds exactly the grid values of the formula, for every input format. */
    @ParameterizedTest(name = "{0} channel(s), {1} -> {2}")
    @MethodSource("quantizeCases")
    void quantizeWritesTheGridValues(int channels, String inFormat, String outFormat) {
        float[] v = interleaved(channels);
        Cli.Result q = Cli.quantize(Cli.encode(inFormat, v, channels), "--bits", String.valueOf(BITS),
                "--input-format", inFormat.startsWith("wav") ? "wav" : inFormat, "--channels",
                String.valueOf(channels), "--output", outFormat);
        assertEquals(0, q.exitCode(), q::toString);
        float[] expected = GenerateCliGoldenVectors.quantized(asRead(inFormat, v), BITS);
        float[] got = switch (outFormat) {
            case "codes" -> decodeCodes(q.stdout());
            case "s16le" -> Cli.fromS16le(q.stdout());
            default -> Cli.fromWav(q.stdout(), channels);
        };
        assertArrayEquals(expected, got);
    }

    /** A code stream's values: dequantize with L = 0 and S = 1 passes its input through. */
    static float[] decodeCodes(byte[] codes) {
        Cli.Result r = Cli.dequantize(codes, "--model", "dct", "--iterations", "0", "--shifts", "1", "--backend",
                "java", "--output-format", "f32le");
        assertEquals(0, r.exitCode(), r::toString);
        return Cli.fromF32le(r.stdout());
    }

    /**
     * Dequantize from every input format to every output format gives the same samples, exact lengths throughout:
     * f32 outputs those of the code stream (the same floats go in; frames may be batched differently, as input
     * arrives differently, hence {@link #BATCHING_TOLERANCE}), wav-f32 bit for bit the f32le output of the same
     * input, and 16-bit outputs exactly its rounding to s16 (ties to even, clamped: FORMATS.md), computed here.
     */
    @ParameterizedTest(name = "{0} channel(s)")
    @ValueSource(ints = {1, 2, 3})
    void dequantizeFromEveryFormatToEveryFormat(int channels) {
        float[] v = interleaved(channels);
        String ch = String.valueOf(channels);
        byte[] codes = quantize(v, channels, "codes");
        float[] x = GenerateCliGoldenVectors.quantized(asRead("s16le", v), BITS);
        byte[][] inputs = {
                codes,
                quantize(v, channels, "s16le"),
                quantize(v, channels, "wav"),
                Cli.encode("f32le", x, channels),
                Cli.encode("wav-f32", x, channels)};
        String[] inputFormats = {"codes", "s16le", "wav", "f32le", "wav"};

        Cli.Result ref = Cli.dequantize(codes, args(ENGINE, "--output-format", "f32le"));
        assertEquals(0, ref.exitCode(), ref::toString);
        float[] y = Cli.fromF32le(ref.stdout());
        assertEquals(v.length, y.length, "samples out");
        for (int i = 0; i < y.length; i++) {
            // the same x whichever way it came: the s16 rounding of the clean signal, quantized
            assertTrue(Math.abs((double) y[i] - x[i]) <= R, "sample " + i + " outside its cell");
        }
        for (int in = 0; in < inputs.length; in++) {
            float[] yIn = null;
            for (String out : new String[] {"f32le", "s16le", "wav", "wav-f32"}) { // f32le first: the others follow it
                Cli.Result r = Cli.dequantize(inputs[in], args(ENGINE, "--input-format", inputFormats[in],
                        "--channels", ch, "--output-format", out));
                String what = inputFormats[in] + " (input " + in + ") -> " + out;
                assertEquals(0, r.exitCode(), () -> what + ": " + r);
                float[] got = Cli.decode(out, r.stdout(), channels);
                assertEquals(v.length, got.length, what + ": samples out");
                if (yIn == null) {
                    assertEquals("f32le", out);
                } else if (out.equals("wav-f32")) {
                    assertArrayEquals(yIn, got, what);
                } else {
                    assertArrayEquals(s16(yIn), got, what);
                }
                if (out.equals("f32le")) {
                    yIn = got;
                    for (int i = 0; i < y.length; i++) {
                        assertEquals(y[i], got[i], BATCHING_TOLERANCE, what + ", sample " + i);
                    }
                }
            }
        }
    }

    /**
     * A code stream read from a file is solved in full batches: its reader has nothing decoded between blocks,
     * but the next blocks are already there (this once made every block a partial batch of its own). The output
     * is flushed after every solver call, so flushes count them.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"codes", "s16le"})
    void inputThatIsAlreadyThereIsSolvedInFullBatches(String format) {
        float[] v = clean(0); // 15 frames and a partial one
        byte[] in = format.equals("codes") ? quantize(v, 1, "codes") : quantize(v, 1, "s16le");
        FlushCounter out = new FlushCounter();
        Cli.Result r = Cli.inProcess(new DequantizeCommand(new java.io.ByteArrayInputStream(in), out), out,
                args(ENGINE, "--batch", "8"));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(2 * v.length, out.size());
        // 16 frames at B = 8: at most two full batches, one partial batch when every byte has been read but the
        // end not yet seen, the last frame at the end, and the end's flushes of the stream and the writer: not one
        // a block (16)
        assertTrue(out.flushes <= 5, out.flushes + " flushes");
    }

    static final class FlushCounter extends java.io.ByteArrayOutputStream {
        int flushes;

        @Override
        public void flush() {
            flushes++;
        }
    }

    /** Each channel of a 2- or 3-channel stream comes out as it does when dequantized on its own. */
    @ParameterizedTest(name = "S = {0}")
    @ValueSource(ints = {1, 2})
    void channelsAreDequantizedIndependently(int shifts) {
        for (int channels : new int[] {2, 3}) {
            float[] v = interleaved(channels);
            Cli.Result all = Cli.dequantize(quantize(v, channels, "codes"),
                    args(ENGINE, "--shifts", String.valueOf(shifts), "--output-format", "f32le"));
            assertEquals(0, all.exitCode(), all::toString);
            float[] y = Cli.fromF32le(all.stdout());
            assertEquals(v.length, y.length);
            for (int c = 0; c < channels; c++) {
                Cli.Result one = Cli.dequantize(quantize(clean(c), 1, "codes"),
                        args(ENGINE, "--shifts", String.valueOf(shifts), "--output-format", "f32le"));
                assertEquals(0, one.exitCode(), one::toString);
                float[] alone = Cli.fromF32le(one.stdout());
                float[] mixed = Cli.channel(y, channels, c);
                assertEquals(alone.length, mixed.length);
                for (int i = 0; i < alone.length; i++) {
                    assertEquals(alone[i], mixed[i], CHANNEL_TOLERANCE,
                            "channel " + c + " of " + channels + ", sample " + i);
                }
            }
        }
    }

    static byte[] quantize(float[] v, int channels, String output) {
        Cli.Result q = Cli.quantize(Cli.encode("s16le", v, channels), "--bits", String.valueOf(BITS),
                "--input-format", "s16le", "--channels", String.valueOf(channels), "--output", output);
        assertEquals(0, q.exitCode(), q::toString);
        return q.stdout();
    }

    /** The s16le encoding of FORMATS.md, written independently: clamp(rint(v * 32768)) / 32768. */
    static float[] s16(float[] y) {
        float[] s = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            s[i] = (float) (Math.max(-32768, Math.min(32767, Math.rint(y[i] * 32768.0))) / 32768.0);
        }
        return s;
    }
}
