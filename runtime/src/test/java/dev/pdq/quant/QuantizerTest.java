package dev.pdq.quant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizerTest {
    private static final int SAMPLES = 20_000;

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 17, 32})
    void rejectsBitsOutOfRange(int bits) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Quantizer(bits));
        assertTrue(e.getMessage().contains("bits = " + bits), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8, 12, 15, 16})
    void levelsStepAndHalfWidth(int bits) {
        Quantizer q = new Quantizer(bits);
        assertEquals(1 << bits, q.levels());
        assertEquals(bits, q.bits());
        assertEquals(2.0 / (1 << bits), q.step(), 0.0);
        assertEquals(1.0 / (1 << bits), q.halfWidth(), 0.0);
    }

    /** |value(code(v)) - v| <= r for v in [-1, 1), checked exactly in double. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 6, 8, 11, 16})
    void errorWithinHalfWidthInsideRange(int bits) {
        Quantizer q = new Quantizer(bits);
        Random rnd = new Random(42 + bits);
        for (int i = 0; i < SAMPLES; i++) {
            float v = -1f + 2f * rnd.nextFloat();
            if (v >= 1f) {
                continue;
            }
            double err = Math.abs((double) q.quantize(v) - v);
            assertTrue(err <= q.halfWidth(), "v = " + v + ": error " + err + " > r = " + q.halfWidth());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 16})
    void codesAreMonotone(int bits) {
        Quantizer q = new Quantizer(bits);
        Random rnd = new Random(7 + bits);
        float[] v = new float[SAMPLES];
        for (int i = 0; i < v.length; i++) {
            v[i] = -1.2f + 2.4f * rnd.nextFloat();
        }
        Arrays.sort(v);
        for (int i = 1; i < v.length; i++) {
            assertTrue(q.code(v[i - 1]) <= q.code(v[i]), "code(" + v[i - 1] + ") > code(" + v[i] + ")");
        }
    }

    /** Every cell [-1 + c*step, -1 + (c+1)*step) maps to c, boundaries included exactly. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 7, 10, 16})
    void cellBoundariesAreExact(int bits) {
        Quantizer q = new Quantizer(bits);
        for (int c = 0; c < q.levels(); c++) {
            float lower = (float) (-1.0 + c * (2.0 / q.levels()));
            assertEquals(c, q.code(lower), "lower boundary of cell " + c);
            if (c > 0) {
                assertEquals(c - 1, q.code(Math.nextDown(lower)), "just below cell " + c);
            }
            assertEquals(c, q.code(q.value(c)), "level of cell " + c);
        }
    }

    @Test
    void tinyNegativeValuesGoBelowZero() {
        Quantizer q = new Quantizer(4);
        assertEquals(7, q.code(-Float.MIN_VALUE));
        assertEquals(7, q.code(-1e-30f));
        assertEquals(8, q.code(0f));
        assertEquals(8, q.code(-0f));
        assertEquals(8, q.code(Float.MIN_VALUE));
    }

    /** At 4 bits the levels are (2c+1)/16 - 1: on the s16 grid, -32768 + 4096c + 2048. */
    @Test
    void fourBitLevelsOnTheS16Grid() {
        Quantizer q = new Quantizer(4);
        for (int c = 0; c < 16; c++) {
            assertEquals((2 * c + 1) / 16.0 - 1, q.value(c), 0.0);
            float s16 = q.value(c) * 32768f;
            assertEquals(-32768 + 4096 * c + 2048, s16, 0f, "code " + c);
        }
    }

    /** Levels are on the s16 grid up to 15 bits: (2c+1) * 2^(15-bits) - 32768. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 8, 12, 15})
    void levelsAreS16Values(int bits) {
        Quantizer q = new Quantizer(bits);
        for (int c = 0; c < q.levels(); c += Math.max(1, q.levels() / 64)) {
            float s16 = q.value(c) * 32768f;
            assertEquals(Math.rint(s16), s16, 0f, "code " + c + " at " + bits + " bits");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 16})
    void clampsOutOfRangeAndInfinities(int bits) {
        Quantizer q = new Quantizer(bits);
        int last = q.levels() - 1;
        assertEquals(0, q.code(-1f));
        assertEquals(0, q.code(-1.5f));
        assertEquals(0, q.code(Float.NEGATIVE_INFINITY));
        assertEquals(last, q.code(1f));
        assertEquals(last, q.code(Math.nextDown(1f)));
        assertEquals(last, q.code(3f));
        assertEquals(last, q.code(Float.POSITIVE_INFINITY));
        assertEquals(q.value(last), q.quantize(7f), 0f);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 16})
    void nanIsTreatedAsZero(int bits) {
        Quantizer q = new Quantizer(bits);
        assertEquals(q.levels() / 2, q.code(Float.NaN));
        assertEquals(q.code(0f), q.code(Float.NaN));
        assertEquals(q.halfWidth(), q.quantize(Float.NaN), 0f);
    }

    @Test
    void valueRejectsInvalidCodes() {
        Quantizer q = new Quantizer(3);
        assertThrows(IllegalArgumentException.class, () -> q.value(-1));
        assertThrows(IllegalArgumentException.class, () -> q.value(8));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8, 16})
    void onGridAcceptsLevelsOnly(int bits) {
        Quantizer q = new Quantizer(bits);
        for (int c = 0; c < q.levels(); c += Math.max(1, q.levels() / 256)) {
            float v = q.value(c);
            assertTrue(q.onGrid(v), "level " + v);
            assertFalse(q.onGrid(v + 0.25f * q.step()), "a quarter step off " + v);
        }
        assertFalse(q.onGrid(Float.NaN));
        assertFalse(q.onGrid(Float.POSITIVE_INFINITY));
        assertFalse(q.onGrid(1.5f));
        assertFalse(q.onGrid(-1f));
    }

    @Test
    void bulkHelpersMatchScalarOnes() {
        Quantizer q = new Quantizer(4);
        Random rnd = new Random(3);
        float[] src = new float[101];
        for (int i = 0; i < src.length; i++) {
            src[i] = -1.1f + 2.2f * rnd.nextFloat();
        }
        float[] dst = new float[src.length + 2];
        q.quantize(src, 1, dst, 2, src.length - 1);
        for (int i = 1; i < src.length; i++) {
            assertEquals(q.quantize(src[i]), dst[i + 1], 0f);
        }
        assertEquals(0, q.countOffGrid(dst, 2, src.length - 1));
        assertEquals(src.length, q.countOffGrid(src, 0, src.length), "random floats are off the grid");
    }
}
