package dev.pdq.cli;

import dev.pdq.demo.SpeechSynth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every output sample within r of its input sample, also for input off the grid, which is counted and reported in
 * one warning.
 *
 * <p>The bounds. f32le output of on-grid input: exactly r. The solver's last step is y = x + clip(z - x, -r, r) in
 * float, and with x and x +- r representable (bits <= 16, on the grid) the rounded sum cannot pass x +- r, since
 * rounding is monotone. s16le output: r plus half an LSB (1/65536), since each y is rounded to the nearest multiple
 * of 1/32768 (and +1 is clamped to 32767/32768, which moves it towards x, as x <= 1 - r). Where x +- r are
 * themselves multiples of 1/32768 (on-grid input of at most 15 bits) monotone rounding keeps even s16 output within
 * exactly r; 16-bit levels (s + 0.5)/32768 are not, and need the half LSB. Off-grid float input: x +- r is rounded
 * to float, which may add half an ulp (below 2^-24 for |x| + r <= 1): {@link #FLOAT_ROUNDING}.
 */
class CliConsistencyTest {
    static final double LSB = 1.0 / 32768;
    /** Half an ulp of a float in [1/2, 1] rounds x + r when x is off the grid; one ulp bounds it. */
    static final double FLOAT_ROUNDING = Math.ulp(1.0f);
    static final int LENGTH = 20 * 320 + 33;
    static final String[] ENGINE = {"--model", "dct", "--iterations", "20", "--backend", "java"};

    static float[] onGrid(int bits, int length, long seed) {
        float[] v = SpeechSynth.generate((length + 400) / (double) Cli.RATE, Cli.RATE, seed);
        return GenerateCliGoldenVectors.quantized(java.util.Arrays.copyOf(v, length), bits);
    }

    static String[] args(String... more) {
        return Stream.concat(Stream.of(ENGINE), Stream.of(more)).toArray(String[]::new);
    }

    static Stream<Arguments> bitsAndShifts() {
        return IntStream.of(2, 4, 8, 15, 16).boxed().flatMap(b -> Stream.of(Arguments.of(b, 1), Arguments.of(b, 2)));
    }

    @ParameterizedTest(name = "{0} bits, S = {1}")
    @MethodSource("bitsAndShifts")
    void onGridInputStaysWithinR(int bits, int shifts) {
        double r = 1.0 / (1 << bits);
        float[] x = onGrid(bits, LENGTH, bits);
        byte[] in = Cli.f32le(x);
        String[] common = args("--bits", String.valueOf(bits), "--shifts", String.valueOf(shifts), "--input-format",
                "f32le");

        Cli.Result f = Cli.dequantize(in, Stream.concat(Stream.of(common), Stream.of("--output-format", "f32le"))
                .toArray(String[]::new));
        assertEquals(0, f.exitCode(), f::toString);
        float[] y = Cli.fromF32le(f.stdout());
        assertEquals(x.length, y.length);
        int moved = 0;
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs((double) y[i] - x[i]) <= r, () -> "f32le output outside r");
            moved += y[i] != x[i] ? 1 : 0;
        }
        // the bound is no achievement if nothing moved: the solver does change most samples
        assertTrue(moved > x.length / 2, moved + " of " + x.length + " samples changed");
        assertEquals(0, f.linesContaining("not on the"), "on-grid input, yet a warning:\n" + f.stderr());

        Cli.Result s = Cli.dequantize(in, Stream.concat(Stream.of(common), Stream.of("--output-format", "s16le"))
                .toArray(String[]::new));
        assertEquals(0, s.exitCode(), s::toString);
        float[] y16 = Cli.fromS16le(s.stdout());
        assertEquals(x.length, y16.length);
        double bound = bits <= 15 ? r : r + LSB / 2;
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs((double) y16[i] - x[i]) <= bound,
                    "s16le sample " + i + ": |" + y16[i] + " - " + x[i] + "| > " + bound);
        }
    }

    /**
     * Off-grid input, 2 channels, built so that exactly known samples are off the 4-bit grid (by 0.1 to 0.4 of a
     * step: far outside the quantizer's on-grid tolerance of 1e-3 steps): every output sample stays within r of the
     * sample as given, and a single warning (with B = 1: many solver calls) gives the count.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f32le", "s16le"})
    void offGridInputIsDequantizedCountedAndReportedOnce(String inFormat) {
        int bits = 4;
        double r = 1.0 / (1 << bits);
        double step = 2 * r;
        float[] x = onGrid(bits, 2 * LENGTH, 7);
        Random rnd = new Random(3);
        int offGrid = 0;
        for (int i = 0; i < x.length; i++) {
            if (rnd.nextInt(5) == 0) {
                double shift = (0.1 + 0.3 * rnd.nextDouble()) * step * (x[i] > 0 ? -1 : 1);
                x[i] = inFormat.equals("s16le") ? (float) (Math.rint((x[i] + shift) * 32768) / 32768)
                        : (float) (x[i] + shift);
                offGrid++;
            }
        }
        byte[] in = inFormat.equals("s16le") ? Cli.s16le(x) : Cli.f32le(x);
        Cli.Result res = Cli.dequantize(in, args("--bits", "4", "--batch", "1", "--channels", "2", "--input-format",
                inFormat, "--output-format", "f32le", "--stats"));
        assertEquals(0, res.exitCode(), res::toString);
        float[] y = Cli.fromF32le(res.stdout());
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs((double) y[i] - x[i]) <= r + FLOAT_ROUNDING, "sample " + i);
        }
        assertEquals(1, res.linesContaining("not on the"), res.stderr());
        String expected = offGrid + " of " + x.length + " input samples were not on the 4-bit grid";
        assertEquals(1, res.linesContaining(expected), () -> "no line '" + expected + "' in\n" + res.stderr());
        assertEquals(1, res.linesContaining("pdq stats: off-grid input samples " + offGrid), res.stderr());
    }

    /** Raw 16-bit audio that was never quantized, given as 4-bit input: nearly all of it off the grid. */
    @Test
    void unquantizedAudioIsReportedWithItsCount() {
        float[] clean = java.util.Arrays.copyOf(SpeechSynth.generate(0.3, Cli.RATE, 5), 4000);
        byte[] in = Cli.s16le(clean);
        // the 4-bit levels are s = -32768 + 2048 (2c + 1) (a step is 4096 LSB); on the grid means within the
        // quantizer's tolerance of 1e-3 steps, 4.1 LSB
        int offGrid = 0;
        for (float v : Cli.fromS16le(in)) {
            int s = Math.round(v * 32768);
            int d = Math.floorMod(s + 32768 - 2048, 4096);
            offGrid += Math.min(d, 4096 - d) <= 4 ? 0 : 1;
        }
        Cli.Result res = Cli.dequantize(in, args("--input-format", "s16le"));
        assertEquals(0, res.exitCode(), res::toString);
        assertEquals(2 * clean.length, res.stdout().length);
        String expected = offGrid + " of " + clean.length + " input samples were not on the 4-bit grid";
        assertEquals(1, res.linesContaining(expected), () -> "no line '" + expected + "' in\n" + res.stderr());
    }
}
