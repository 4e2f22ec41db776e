package dev.pdq.blas;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * sgemv and sgemm on every backend against a double-precision reference computed from the same float inputs.
 *
 * <p>Tolerance: the classical bound for a float dot product of length k in any summation order (with or without
 * fused multiply-add), |computed - exact| <= gamma(k + extra) * (|alpha| sum |a||b| + |beta c|), with
 * gamma(n) = n u / (1 - n u) and u the unit roundoff of float. The extra roundings cover alpha, beta and the
 * final addition. Any backend, blocked or not, must meet it; exceeding it is a bug, not noise.
 */
class BlasOperationsTest {

    /** Unit roundoff of float, 2^-24. */
    static final double UNIT_ROUNDOFF = Math.ulp(1.0f) / 2;
    /** Roundings beyond the k products and sums of a dot product: alpha, beta * c, their sum, the scaling. */
    static final int EXTRA_ROUNDINGS = 4;

    private static final int[][] GEMM_SHAPES = { // m, n, k
        {1, 1, 1}, {1, 3, 17}, {3, 17, 33}, {17, 33, 3}, {33, 1, 17}, {32, 320, 320}, {320, 320, 32}, {7, 5, 0},
        {0, 4, 3}, {4, 0, 3}};
    private static final int[][] GEMV_SHAPES = { // m, n of the stored A
        {1, 1}, {3, 17}, {17, 3}, {33, 320}, {320, 320}, {320, 33}, {5, 0}, {0, 5}};
    private static final float[][] ALPHA_BETA = {
        {1f, 0f}, {-2.5f, 0f}, {0f, 0.5f}, {0f, 0f}, {0.7f, 1f}, {1.5f, -0.25f}};

    static double gamma(int n) {
        return n * UNIT_ROUNDOFF / (1 - n * UNIT_ROUNDOFF);
    }

    // ---------------------------------------------------------------- sgemm

    static Stream<Arguments> gemmShapes() {
        List<Arguments> all = new ArrayList<>();
        BlasBackends.labels().forEach(label -> {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    for (int[] s : GEMM_SHAPES) {
                        all.add(Arguments.of(label, ta, tb, s[0], s[1], s[2], false));
                        all.add(Arguments.of(label, ta, tb, s[0], s[1], s[2], true));
                    }
                }
            }
        });
        return all.stream();
    }

    @ParameterizedTest(name = "{0} sgemm {1},{2} m={3} n={4} k={5} padded={6}")
    @MethodSource("gemmShapes")
    void sgemmMatchesReference(String label, Transpose ta, Transpose tb, int m, int n, int k, boolean padded) {
        checkGemm(BlasBackends.backend(label), ta, tb, m, n, k, 0.7f, -1.3f, padded, 31L * m + 7L * n + k);
    }

    static Stream<Arguments> gemmScalars() {
        List<Arguments> all = new ArrayList<>();
        BlasBackends.labels().forEach(label -> {
            for (float[] ab : ALPHA_BETA) {
                all.add(Arguments.of(label, Transpose.NO, Transpose.YES, ab[0], ab[1]));
                all.add(Arguments.of(label, Transpose.YES, Transpose.NO, ab[0], ab[1]));
            }
        });
        return all.stream();
    }

    /** beta = 0 must ignore C entirely: it starts as NaN there. */
    @ParameterizedTest(name = "{0} sgemm {1},{2} alpha={3} beta={4}")
    @MethodSource("gemmScalars")
    void sgemmScalars(String label, Transpose ta, Transpose tb, float alpha, float beta) {
        checkGemm(BlasBackends.backend(label), ta, tb, 17, 33, 9, alpha, beta, true, 99);
    }

    private static void checkGemm(BlasBackends.Backend be, Transpose ta, Transpose tb, int m, int n, int k,
                                  float alpha, float beta, boolean padded, long seed) {
        Random rnd = new Random(seed);
        boolean tA = ta.transposed(), tB = tb.transposed();
        StoredMatrix a = StoredMatrix.of(be, rnd, tA ? k : m, tA ? m : k, padded ? 3 : 0, padded ? 5 : 0,
                StoredMatrix.NEVER_READ, null);
        StoredMatrix b = StoredMatrix.of(be, rnd, tB ? n : k, tB ? k : n, padded ? 2 : 0, padded ? 2 : 0,
                StoredMatrix.NEVER_READ, null);
        StoredMatrix c = StoredMatrix.of(be, rnd, m, n, padded ? 5 : 0, padded ? 7 : 0,
                StoredMatrix.NEVER_WRITTEN, beta == 0f ? Float.NaN : null);

        be.blas().sgemm(ta, tb, m, n, k, alpha, a.buf, a.off, a.ld, b.buf, b.off, b.ld, beta, c.buf, c.off, c.ld);

        double tolerance = gamma(k + EXTRA_ROUNDINGS);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double t = a.op(tA, i, p) * b.op(tB, p, j);
                    sum += t;
                    magnitude += Math.abs(t);
                }
                double old = beta == 0f ? 0 : (double) beta * c.initial(i, j);
                double expected = alpha * sum + old;
                double bound = tolerance * (Math.abs(alpha) * magnitude + Math.abs(old));
                double error = Math.abs(c.get(i, j) - expected);
                if (!(error <= bound)) {
                    fail(String.format("%s: C[%d][%d] = %s, expected %s (error %.3g > bound %.3g)",
                            be, i, j, c.get(i, j), expected, error, bound));
                }
            }
        }
        assertEquals(-1, c.firstChangeOutside(), "C changed outside the matrix at this index");
        assertEquals(-1, a.firstChange(), "A changed at this index");
        assertEquals(-1, b.firstChange(), "B changed at this index");
    }

    // ---------------------------------------------------------------- sgemv

    static Stream<Arguments> gemvShapes() {
        List<Arguments> all = new ArrayList<>();
        BlasBackends.labels().forEach(label -> {
            for (Transpose t : Transpose.values()) {
                for (int[] s : GEMV_SHAPES) {
                    all.add(Arguments.of(label, t, s[0], s[1], false));
                    all.add(Arguments.of(label, t, s[0], s[1], true));
                }
            }
        });
        return all.stream();
    }

    @ParameterizedTest(name = "{0} sgemv {1} m={2} n={3} padded={4}")
    @MethodSource("gemvShapes")
    void sgemvMatchesReference(String label, Transpose t, int m, int n, boolean padded) {
        checkGemv(BlasBackends.backend(label), t, m, n, 0.7f, -1.3f, padded, 17L * m + n);
    }

    static Stream<Arguments> gemvScalars() {
        List<Arguments> all = new ArrayList<>();
        BlasBackends.labels().forEach(label -> {
            for (float[] ab : ALPHA_BETA) {
                for (Transpose t : Transpose.values()) {
                    all.add(Arguments.of(label, t, ab[0], ab[1]));
                }
            }
        });
        return all.stream();
    }

    /** beta = 0 must ignore y entirely: it starts as NaN there. */
    @ParameterizedTest(name = "{0} sgemv {1} alpha={2} beta={3}")
    @MethodSource("gemvScalars")
    void sgemvScalars(String label, Transpose t, float alpha, float beta) {
        checkGemv(BlasBackends.backend(label), t, 19, 37, alpha, beta, true, 5);
    }

    private static void checkGemv(BlasBackends.Backend be, Transpose t, int m, int n, float alpha, float beta,
                                  boolean padded, long seed) {
        Random rnd = new Random(seed);
        boolean tr = t.transposed();
        int xLen = tr ? m : n, yLen = tr ? n : m;
        StoredMatrix a = StoredMatrix.of(be, rnd, m, n, padded ? 3 : 0, padded ? 4 : 0, StoredMatrix.NEVER_READ,
                null);
        StoredMatrix x = StoredMatrix.of(be, rnd, 1, xLen, 0, padded ? 1 : 0, StoredMatrix.NEVER_READ, null);
        StoredMatrix y = StoredMatrix.of(be, rnd, 1, yLen, 0, padded ? 6 : 0, StoredMatrix.NEVER_WRITTEN,
                beta == 0f ? Float.NaN : null);

        be.blas().sgemv(t, m, n, alpha, a.buf, a.off, a.ld, x.buf, x.off, beta, y.buf, y.off);

        double tolerance = gamma(xLen + EXTRA_ROUNDINGS);
        for (int i = 0; i < yLen; i++) {
            double sum = 0, magnitude = 0;
            for (int j = 0; j < xLen; j++) {
                double term = a.op(tr, i, j) * x.initial(0, j);
                sum += term;
                magnitude += Math.abs(term);
            }
            double old = beta == 0f ? 0 : (double) beta * y.initial(0, i);
            double expected = alpha * sum + old;
            double bound = tolerance * (Math.abs(alpha) * magnitude + Math.abs(old));
            double error = Math.abs(y.get(0, i) - expected);
            if (!(error <= bound)) {
                fail(String.format("%s: y[%d] = %s, expected %s (error %.3g > bound %.3g)",
                        be, i, y.get(0, i), expected, error, bound));
            }
        }
        assertEquals(-1, y.firstChangeOutside(), "y changed outside its elements at this index");
        assertEquals(-1, a.firstChange(), "A changed at this index");
        assertEquals(-1, x.firstChange(), "x changed at this index");
    }
}
