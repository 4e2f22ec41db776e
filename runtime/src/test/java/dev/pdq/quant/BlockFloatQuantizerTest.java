package dev.pdq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockFloatQuantizerTest {

    /**
     * The rule from its definition, in double and by search: the largest e in 0..15 with peak * 2^e <= 1, and 0
     * when even e = 0 clips (peak > 1).
     */
    static int referenceExponent(double peak) {
        if (Double.isNaN(peak)) {
            peak = 0;
        }
        for (int e = 15; e > 0; e--) {
            if (peak * Math.pow(2, e) <= 1) {
                return e;
            }
        }
        return 0;
    }

    /**
     * An independent BFP quantizer in double, from the formulas of the class comment: x[i] and h[i] (cell x +- h)
     * for one channel in gain blocks of n from the start.
     */
    static void reference(float[] v, int bits, int n, double[] x, double[] h) {
        int levels = 1 << bits;
        double step = 2.0 / levels;
        for (int start = 0; start < v.length; start += n) {
            int end = Math.min(v.length, start + n);
            double peak = 0;
            for (int i = start; i < end; i++) {
                if (!Float.isNaN(v[i])) {
                    peak = Math.max(peak, Math.abs((double) v[i]));
                }
            }
            int e = referenceExponent(peak);
            double g = Math.pow(2, e);
            for (int i = start; i < end; i++) {
                double u = Float.isNaN(v[i]) ? 0 : v[i] * g;
                long c = (long) Math.floor((u + 1) / step);
                // u + 1 rounds for tiny |u|: floor exactly against the boundaries -1 + c*step (exact in double)
                while (u < -1 + c * step) {
                    c--;
                }
                while (u >= -1 + (c + 1) * step) {
                    c++;
                }
                c = Math.max(0, Math.min(levels - 1, c));
                x[i] = (-1 + step * (c + 0.5)) / g;
                h[i] = 1.0 / levels / g;
            }
        }
    }

    /** Speech-like test signal: blocks of random level from -90 to +3 dBFS (a few clip), random samples. */
    static float[] signal(int length, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[length];
        double level = 1;
        for (int i = 0; i < length; i++) {
            if (rnd.nextInt(25) == 0) {
                level = Math.pow(10, (-90 + 93 * rnd.nextDouble()) / 20);
            }
            v[i] = (float) (level * (2 * rnd.nextDouble() - 1));
        }
        return v;
    }

    @Test
    void exponentOfPeakIsTheLargestWithoutClipping() {
        Random rnd = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            float peak = (float) Math.pow(2, -20 + 22 * rnd.nextDouble());
            assertEquals(referenceExponent(peak), BlockFloatQuantizer.exponentOfPeak(peak), "peak " + peak);
        }
        // powers of two and their neighbours: 2^-k itself fits at e = k, a hair above it only at k - 1
        for (int k = 0; k <= 16; k++) {
            float p = Math.scalb(1f, -k);
            for (float q : new float[] {p, Math.nextUp(p), Math.nextDown(p)}) {
                assertEquals(referenceExponent(q), BlockFloatQuantizer.exponentOfPeak(q), "peak " + q);
            }
        }
        assertEquals(0, BlockFloatQuantizer.exponentOfPeak(1f));
        assertEquals(1, BlockFloatQuantizer.exponentOfPeak(0.5f));
        assertEquals(0, BlockFloatQuantizer.exponentOfPeak(Math.nextUp(0.5f)));
        assertEquals(0, BlockFloatQuantizer.exponentOfPeak(3f), "a clipping block keeps e = 0");
        assertEquals(0, BlockFloatQuantizer.exponentOfPeak(Float.POSITIVE_INFINITY));
        assertEquals(15, BlockFloatQuantizer.exponentOfPeak(0f));
        assertEquals(15, BlockFloatQuantizer.exponentOfPeak(Float.NaN));
        assertEquals(15, BlockFloatQuantizer.exponentOfPeak(Float.MIN_VALUE));
        assertEquals(15, BlockFloatQuantizer.exponentOfPeak(Math.scalb(1f, -15)));
        assertEquals(14, BlockFloatQuantizer.exponentOfPeak(Math.nextUp(Math.scalb(1f, -15))));
    }

    @Test
    void exponentSearchesThePeakOfTheStridedSamples() {
        float[] v = {0.9f, 0.01f, -0.9f, -0.2f, 0.9f, Float.NaN};
        assertEquals(2, BlockFloatQuantizer.exponent(v, 1, 2, 3), "|-0.2| is the peak of 0.01, -0.2, NaN");
        assertEquals(0, BlockFloatQuantizer.exponent(v, 0, 2, 3));
        assertEquals(15, BlockFloatQuantizer.exponent(v, 0, 1, 0), "an empty block");
    }

    /** Every B and several N, against the double reference: bit for bit, values and cells. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void quantizeMatchesTheDoubleReference(int bits) {
        for (int n : new int[] {1, 7, 32, 40, 320}) {
            BlockFloatQuantizer q = new BlockFloatQuantizer(bits, n);
            float[] v = signal(3 * n + 5, bits * 100L + n);
            double[] rx = new double[v.length];
            double[] rh = new double[v.length];
            reference(v, bits, n, rx, rh);
            float[] x = new float[v.length + 3];
            float[] below = new float[v.length + 3];
            float[] above = new float[v.length + 3];
            q.quantize(v, 0, v.length, x, below, above, 3);
            for (int i = 0; i < v.length; i++) {
                String at = bits + " bits, N = " + n + ", sample " + i;
                assertEquals(rx[i], x[i + 3], 0.0, at);
                assertEquals(-rh[i], below[i + 3], 0.0, at);
                assertEquals(rh[i], above[i + 3], 0.0, at);
            }
        }
    }

    /** No clipping below full scale: every clean sample lies in its cell, whose bounds are exact in float. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void everySampleLiesInItsCellAndTheBoundsAreExact(int bits) {
        BlockFloatQuantizer q = new BlockFloatQuantizer(bits, 32);
        float[] v = signal(20_000, bits);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(-1f, Math.min(1f, v[i]));
        }
        v[100] = 1f;              // the largest samples a block may hold without clipping
        v[200] = -1f;
        v[300] = 0.5f;            // a power of two, at e = 1 exactly on the edge
        float[] x = new float[v.length];
        float[] below = new float[v.length];
        float[] above = new float[v.length];
        q.quantize(v, 0, v.length, x, below, above, 0);
        for (int i = 0; i < v.length; i++) {
            float lo = x[i] + below[i];
            float hi = x[i] + above[i];
            assertEquals((double) x[i] + below[i], lo, 0.0, "lower bound exact, sample " + i);
            assertEquals((double) x[i] + above[i], hi, 0.0, "upper bound exact, sample " + i);
            assertTrue(lo <= v[i] && v[i] <= hi, "sample " + i + " = " + v[i] + " outside [" + lo + ", " + hi + "]");
        }
    }

    /** The exponent is maximal: at e < 15 the block's scaled peak lies in (1/2, 1] and uses the outer half grid. */
    @Test
    void theExponentUsesTheOuterHalfOfTheGrid() {
        BlockFloatQuantizer q = new BlockFloatQuantizer(4, 40);
        float[] v = signal(40 * 500, 9);
        for (int b = 0; b < 500; b++) {
            int e = BlockFloatQuantizer.exponent(v, 40 * b, 1, 40);
            float peak = 0;
            for (int i = 40 * b; i < 40 * b + 40; i++) {
                peak = Math.max(peak, Math.abs(v[i]));
            }
            double scaled = Math.scalb((double) peak, e);
            if (peak > 1) {
                assertEquals(0, e, "a clipping block");
            } else {
                assertTrue(scaled <= 1, "no clipping: block " + b);
                assertTrue(e == 15 || scaled > 0.5, "maximal: block " + b + ", peak " + peak + ", e = " + e);
            }
            if (e < 15 && peak <= 1) {
                int[] codes = new int[40 * 500];
                q.codes(v, 40 * b, 1, 40, e, codes);
                boolean outer = false;
                for (int i = 40 * b; i < 40 * b + 40; i++) {
                    outer |= Math.abs(q.grid().value(codes[i])) > 0.5;
                }
                assertTrue(outer, "block " + b + " uses only the inner half of the grid");
            }
        }
    }

    @Test
    void gainBlocksCountFromTheStartAndTheLastMayBeShorter() {
        BlockFloatQuantizer q = new BlockFloatQuantizer(4, 10);
        float[] v = new float[25];
        for (int i = 0; i < 25; i++) {
            v[i] = i < 20 ? 0.9f : 0.01f;        // the short last block [20, 25) is quiet
        }
        v[19] = 0.9f;
        float[] x = new float[25];
        float[] below = new float[25];
        float[] above = new float[25];
        q.quantize(v, 0, 25, x, below, above, 0);
        assertEquals(q.halfWidth(0), above[19], 0f);
        assertEquals(q.halfWidth(BlockFloatQuantizer.exponentOfPeak(0.01f)), above[20], 0f);
        assertEquals(6, BlockFloatQuantizer.exponentOfPeak(0.01f));
        // quantizing from an offset starts the blocks there
        float[] y = new float[30];
        System.arraycopy(v, 0, y, 5, 25);
        float[] x2 = new float[25];
        q.quantize(y, 5, 25, x2, below, above, 0);
        for (int i = 0; i < 25; i++) {
            assertEquals(x[i], x2[i], 0f);
        }
    }

    @Test
    void clippingAndNonFiniteSamples() {
        BlockFloatQuantizer q = new BlockFloatQuantizer(3, 4);
        float[] v = {1.5f, -0.1f, 0.2f, 0f, Float.NaN, 0.25f, -0.25f, 0f};
        float[] x = new float[8];
        float[] below = new float[8];
        float[] above = new float[8];
        q.quantize(v, 0, 8, x, below, above, 0);
        // the first block clips: e = 0 and the plain uniform grid
        Quantizer grid = new Quantizer(3);
        for (int i = 0; i < 4; i++) {
            assertEquals(grid.quantize(v[i]), x[i], 0f);
            assertEquals(grid.halfWidth(), above[i], 0f);
        }
        // NaN counts as 0: the peak 0.25 gives e = 2, NaN the code of 0
        assertEquals(Math.scalb(grid.value(grid.levels() / 2), -2), x[4], 0f);
        assertEquals(Math.scalb(grid.halfWidth(), -2), above[4], 0f);
    }

    @Test
    void valuesAndHalfWidthsPerExponent() {
        BlockFloatQuantizer q = new BlockFloatQuantizer(4, 32);
        for (int e = 0; e <= 15; e++) {
            assertEquals(Math.pow(2, -4 - e), q.halfWidth(e), 0.0);
            for (int c = 0; c < 16; c++) {
                assertEquals(((2 * c + 1) / 16.0 - 1) / Math.pow(2, e), q.value(c, e), 0.0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> q.value(0, 16));
        assertThrows(IllegalArgumentException.class, () -> q.halfWidth(-1));
        assertThrows(IllegalArgumentException.class, () -> q.value(16, 0));
    }

    @Test
    void interfaceAndArguments() {
        BlockFloatQuantizer q = new BlockFloatQuantizer(5, 40);
        assertEquals(Scheme.BFP, q.scheme());
        assertEquals(5, q.bits());
        assertEquals(40, q.segmentLength());
        assertEquals(1 / 32f, q.nominalHalfWidth(), 0f);
        for (int bits : new int[] {1, 9, 16}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new BlockFloatQuantizer(bits, 32));
            assertTrue(e.getMessage().contains("bits = " + bits), e.getMessage());
        }
        for (int n : new int[] {0, -1, 4097}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new BlockFloatQuantizer(4, n));
            assertTrue(e.getMessage().contains("gain block length = " + n), e.getMessage());
        }
    }
}
