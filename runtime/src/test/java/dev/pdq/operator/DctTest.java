package dev.pdq.operator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DctTest {
    /** float entries carry about 6e-8 relative error each; C C^T sums n products of them. */
    private static final double FLOAT_ORTHONORMALITY = 1e-6;
    private static final double DOUBLE_ORTHONORMALITY = 1e-12;
    private static final double FORMULA_TOLERANCE = 1e-12;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8, 17, 320})
    void floatMatrixIsOrthonormal(int n) {
        float[] c = Dct.orthonormalDct2(n);
        assertEquals(n * n, c.length);
        double worst = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += (double) c[a * n + j] * c[b * n + j];
                }
                worst = Math.max(worst, Math.abs(s - (a == b ? 1 : 0)));
            }
        }
        assertEquals(0, worst, FLOAT_ORTHONORMALITY, "max |C C^T - I|");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 64, 320})
    void doubleMatrixIsOrthonormalBothWays(int n) {
        double[] c = Dct.orthonormalDct2Double(n);
        double worst = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double rows = 0;
                double cols = 0;
                for (int j = 0; j < n; j++) {
                    rows += c[a * n + j] * c[b * n + j];
                    cols += c[j * n + a] * c[j * n + b];
                }
                worst = Math.max(worst, Math.abs(rows - (a == b ? 1 : 0)));
                worst = Math.max(worst, Math.abs(cols - (a == b ? 1 : 0)));
            }
        }
        assertEquals(0, worst, DOUBLE_ORTHONORMALITY);
    }

    /** The direct formula, written independently (Math.cos of the unreduced angle). */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, 320})
    void matchesTheDirectFormula(int n) {
        double[] c = Dct.orthonormalDct2Double(n);
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                double expected = Math.sqrt((k == 0 ? 1.0 : 2.0) / n) * Math.cos(Math.PI * (j + 0.5) * k / n);
                assertEquals(expected, c[k * n + j], FORMULA_TOLERANCE, "C[" + k + "][" + j + "]");
            }
        }
    }

    @Test
    void smallCasesByHand() {
        assertEquals(1.0, Dct.orthonormalDct2Double(1)[0], 0.0);
        double h = Math.sqrt(0.5);
        double[] c2 = Dct.orthonormalDct2Double(2);
        assertEquals(h, c2[0], 1e-15);
        assertEquals(h, c2[1], 1e-15);
        assertEquals(h, c2[2], 1e-15);
        assertEquals(-h, c2[3], 1e-15);
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> Dct.orthonormalDct2(0));
        assertThrows(IllegalArgumentException.class, () -> Dct.orthonormalDct2(Operator.MAX_DIMENSION + 1));
    }
}
