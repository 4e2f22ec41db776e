package dev.pdq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QuantizerTest {

    /** Exact reference: clamp(floor((v + 1) * Q / 2), 0, Q-1) in decimal arithmetic. */
    static int referenceCode(float v, int bits) {
        int q = 1 << bits;
        int c = new BigDecimal(v).add(BigDecimal.ONE).multiply(BigDecimal.valueOf(q))
                .divide(BigDecimal.valueOf(2)).setScale(0, RoundingMode.FLOOR).intValueExact();
        return Math.max(0, Math.min(q - 1, c));
    }

    /** Exact reference: -1 + (2c + 1)/Q. */
    static BigDecimal referenceValue(int code, int bits) {
        return BigDecimal.valueOf(2L * code + 1).divide(BigDecimal.valueOf(1L << bits)).subtract(BigDecimal.ONE);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void everyLevelIsExactAndCodesBackToItself(int bits) {
        Quantizer q = new Quantizer(bits);
        assertEquals(bits, q.bits());
        assertEquals(1 << bits, q.levels());
        assertEquals(0, new BigDecimal(q.halfWidth()).compareTo(BigDecimal.ONE.divide(BigDecimal.valueOf(1L << bits))));
        for (int c = 0; c < q.levels(); c++) {
            float v = q.value(c);
            assertEquals(0, new BigDecimal(v).compareTo(referenceValue(c, bits)), "value(" + c + ")");
            assertEquals(c, q.code(v));
            assertEquals(v, q.quantize(v));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 12, 16})
    void codesMatchTheExactReferenceAndStayWithinHalfWidth(int bits) {
        Quantizer q = new Quantizer(bits);
        Random rnd = new Random(42 + bits);
        double step = 2.0 / q.levels();
        for (int i = 0; i < 5000; i++) {
            float v = (float) (rnd.nextDouble() * 2.4 - 1.2);
            assertEquals(referenceCode(v, bits), q.code(v), "v = " + v);
            if (v >= -1 && v < 1) {
                assertTrue(Math.abs((double) q.quantize(v) - v) <= q.halfWidth(), "v = " + v);
            }
        }
        // cell boundaries -1 + k*step belong to cell k; the float just below belongs to cell k-1
        for (int k = 1; k < q.levels(); k++) {
            float edge = (float) (-1 + k * step);
            assertEquals(k, q.code(edge), "edge " + k);
            assertEquals(k - 1, q.code(Math.nextDown(edge)), "just below edge " + k);
        }
    }

    @Test
    void outOfRangeAndNonFiniteInputsClamp() {
        Quantizer q = new Quantizer(4);
        assertEquals(0, q.code(-1f));
        assertEquals(0, q.code(-7f));
        assertEquals(15, q.code(1f));
        assertEquals(15, q.code(Float.POSITIVE_INFINITY));
        assertEquals(0, q.code(Float.NEGATIVE_INFINITY));
        assertEquals(0, q.code(Float.NaN));
        assertEquals(7, q.code(-Float.MIN_VALUE)); // v + 1 would round to 1.0 and give 8
        assertEquals(8, q.code(0f));
        assertEquals(8, q.code(-0f));
        assertEquals(0.0625f, q.halfWidth());
    }

    @Test
    void invalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Quantizer(0));
        assertThrows(IllegalArgumentException.class, () -> new Quantizer(17));
        Quantizer q = new Quantizer(3);
        assertThrows(IllegalArgumentException.class, () -> q.value(-1));
        assertThrows(IllegalArgumentException.class, () -> q.value(8));
    }

    @Test
    void sixteenBitPcmSamplesMapOntoSixteenBitCodes() {
        // v = s/32768 falls in cell s + 32768, whose center is (s + 0.5)/32768
        Quantizer q = new Quantizer(16);
        for (int s = -32768; s < 32768; s++) {
            float v = s / 32768f;
            assertEquals(s + 32768, q.code(v));
            assertEquals((s + 0.5) / 32768, q.quantize(v), 0.0);
        }
    }
}
