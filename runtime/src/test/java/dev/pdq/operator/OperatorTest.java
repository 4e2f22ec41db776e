package dev.pdq.operator;

import dev.pdq.solver.SpectralNorm;
import dev.pdq.testing.ReferenceSolver;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorTest {
    private static final double NORM_TOLERANCE = 1e-9;

    static float[] randomMatrix(int k, int n, long seed) {
        Random rnd = new Random(seed);
        float[] m = new float[k * n];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) rnd.nextGaussian();
        }
        return m;
    }

    static Operator small(int k, int n, long seed) {
        return new Operator(n, k, 4, 16000, 1.0, 100.0, 30, 1, "test operator, seed " + seed,
                randomMatrix(k, n, seed));
    }

    @Test
    void dctFactory() {
        Operator op = Operator.dct(320, 4, 16000, 50);
        assertEquals(320, op.n());
        assertEquals(320, op.k());
        assertEquals(4, op.bits());
        assertEquals(16000, op.sampleRate());
        assertEquals(1.0, op.theta());
        assertEquals(100.0, op.stepRatio());
        assertEquals(50, op.trainedIterations());
        assertEquals(1, op.shifts());
        assertEquals(1.0, op.spectralNorm(), 1e-6, "orthonormal");
        assertEquals(9.9, op.sigma(), 1e-5);
        assertEquals(0.099, op.tau(), 1e-7);
        assertEquals(Dct.orthonormalDct2(320)[321], op.get(1, 1));
    }

    @Test
    void spectralNormMatchesTheReference() {
        int k = 12;
        int n = 9;
        Operator op = small(k, n, 5);
        double[][] m = new double[k][n];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = op.get(i, j);
            }
        }
        assertEquals(ReferenceSolver.spectralNorm(m), op.spectralNorm(), NORM_TOLERANCE * op.spectralNorm());
    }

    /**
     * Singular values clustered at the top (sigma_i = 1 - 1e-4 i, as a trained K near a DCT has them), where power
     * iteration would need some 10^5 steps for 1e-10: Lanczos reaches the double-precision reference (repeated
     * squaring, ReferenceSolver) within its step bound.
     */
    @Test
    void spectralNormOfAClusteredSpectrumMatchesTheReference() {
        int k = 150;
        int n = 120;
        float[] m = withSingularValues(k, n, 7, i -> 1 - 1e-4 * i);
        double expected = ReferenceSolver.spectralNorm(rows(m, k, n));
        assertEquals(expected, SpectralNorm.of(m, k, n), 1e-12 * expected);
    }

    /** K = a b^T with products exact in float: ||K|| = ||a|| ||b||, found in one step (the space is invariant). */
    @Test
    void spectralNormOfARankOneMatrixIsExact() {
        int k = 5;
        int n = 7;
        float[] a = {1, -2, 0.5f, 4, 0.25f};
        float[] b = {3, 0, -1, 2, 8, 0.5f, -0.125f};
        float[] m = new float[k * n];
        double a2 = 0;
        double b2 = 0;
        for (int i = 0; i < k; i++) {
            a2 += a[i] * a[i];
            for (int j = 0; j < n; j++) {
                m[i * n + j] = a[i] * b[j];
            }
        }
        for (float bj : b) {
            b2 += bj * bj;
        }
        assertEquals(Math.sqrt(a2 * b2), SpectralNorm.of(m, k, n), 1e-15 * Math.sqrt(a2 * b2));
    }

    /** The tridiagonal (2 on the diagonal, -1 beside it) of order m has largest eigenvalue 2 + 2 cos(pi/(m+1)). */
    @Test
    void largestEigenvalueOfTheSecondDifferenceMatrix() {
        for (int m : new int[] {1, 2, 7, 50, 300}) {
            double[] d = new double[m];
            double[] e = new double[m];
            java.util.Arrays.fill(d, 2);
            java.util.Arrays.fill(e, -1);
            double expected = 2 + 2 * Math.cos(Math.PI / (m + 1));
            assertEquals(expected, SpectralNorm.largestEigenvalue(d, e, m, 0), 4 * Math.ulp(expected),
                    "m = " + m);
        }
    }

    @Test
    void spectralNormOfZeroIsZeroAndRefused() {
        assertEquals(0.0, SpectralNorm.of(new float[12], 3, 4));
        expectField("matrix", () -> new Operator(4, 3, 4, 16000, 1, 100, 30, 1, "", new float[12]));
    }

    /** A solver gets the operator's own ||K|| (no second estimate) and its steps are the operator's, as floats. */
    @Test
    void newSolverTakesTheOperatorsNormAndSteps() {
        Operator op = small(24, 16, 11);
        dev.pdq.solver.PrimalDual pd = op.newSolver(new dev.pdq.blas.JavaBlas(), 2);
        assertEquals(op.spectralNorm(), pd.spectralNorm(), 0.0);
        assertEquals((float) op.sigma(), pd.sigma(), 0f);
        assertEquals((float) op.tau(), pd.tau(), 0f);
    }

    /** Threads: one solver for one thread or a batch of one frame, else a part a thread, at most one a frame. */
    @Test
    void newSolverSplitsOverThreadsOnlyWhereThereAreFramesToShare() {
        Operator op = small(24, 16, 12);
        dev.pdq.blas.JavaBlas blas = new dev.pdq.blas.JavaBlas();
        try (dev.pdq.solver.BatchSolver one = op.newSolver(blas, 8, 1);
             dev.pdq.solver.BatchSolver single = op.newSolver(blas, 1, 4);
             dev.pdq.solver.BatchSolver split = op.newSolver(blas, 3, 4)) {
            assertTrue(one instanceof dev.pdq.solver.PrimalDual);
            assertTrue(single instanceof dev.pdq.solver.PrimalDual);
            assertTrue(split instanceof dev.pdq.solver.FrameParallelSolver);
            assertEquals(3, split.threads());
            assertEquals(3, split.maxBatch());
            assertEquals(op.n(), split.frameLength());
        }
    }

    /** k x n with the given singular values, K = U diag(s) V^T for random orthonormal U (k x n) and V (n x n). */
    private static float[] withSingularValues(int k, int n, long seed, java.util.function.IntToDoubleFunction s) {
        double[][] u = orthonormalColumns(k, n, seed);
        double[][] v = orthonormalColumns(n, n, seed + 1);
        float[] m = new float[k * n];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                double e = 0;
                for (int r = 0; r < n; r++) {
                    e += u[i][r] * s.applyAsDouble(r) * v[j][r];
                }
                m[i * n + j] = (float) e;
            }
        }
        return m;
    }

    /** rows x cols with orthonormal columns: Gram-Schmidt (twice) on Gaussian columns. */
    private static double[][] orthonormalColumns(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        double[][] q = new double[rows][cols];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                q[r][c] = rnd.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int r = 0; r < rows; r++) {
                        dot += q[r][p] * q[r][c];
                    }
                    for (int r = 0; r < rows; r++) {
                        q[r][c] -= dot * q[r][p];
                    }
                }
            }
            double norm = 0;
            for (int r = 0; r < rows; r++) {
                norm += q[r][c] * q[r][c];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < rows; r++) {
                q[r][c] /= norm;
            }
        }
        return q;
    }

    private static double[][] rows(float[] m, int k, int n) {
        double[][] out = new double[k][n];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = m[i * n + j];
            }
        }
        return out;
    }

    @Test
    void isImmutable() {
        float[] m = randomMatrix(3, 4, 1);
        Operator op = new Operator(4, 3, 4, 16000, 1.0, 100.0, 30, 1, "p", m);
        float before = op.get(0, 0);
        m[0] = 1234f;
        op.matrix()[0] = 5678f;
        assertEquals(before, op.get(0, 0));
    }

    @Test
    void withersChangeOneField() {
        Operator op = small(3, 4, 2);
        assertEquals(77, op.withTrainedIterations(77).trainedIterations());
        assertEquals(3, op.withShifts(3).shifts());
        assertEquals("other", op.withProvenance("other").provenance());
        Operator m = op.withMatrix(randomMatrix(3, 4, 9), "new K");
        assertNotEquals(op, m);
        assertEquals(op.withProvenance("new K").n(), m.n());
        assertEquals(op, small(3, 4, 2));
        assertEquals(op.hashCode(), small(3, 4, 2).hashCode());
    }

    @Test
    void rejectsEachFieldOutOfBounds() {
        float[] m = randomMatrix(2, 3, 1);
        expectField("n", () -> new Operator(0, 2, 4, 16000, 1, 100, 30, 1, "", m));
        expectField("n", () -> new Operator(4097, 2, 4, 16000, 1, 100, 30, 1, "", m));
        expectField("k", () -> new Operator(3, -1, 4, 16000, 1, 100, 30, 1, "", m));
        expectField("k*n", () -> new Operator(4096, 4096, 4, 16000, 1, 100, 30, 1, "", m));
        expectField("bits", () -> new Operator(3, 2, 0, 16000, 1, 100, 30, 1, "", m));
        expectField("bits", () -> new Operator(3, 2, 17, 16000, 1, 100, 30, 1, "", m));
        expectField("sampleRate", () -> new Operator(3, 2, 4, 0, 1, 100, 30, 1, "", m));
        expectField("sampleRate", () -> new Operator(3, 2, 4, 384_001, 1, 100, 30, 1, "", m));
        expectField("theta", () -> new Operator(3, 2, 4, 16000, 1.5, 100, 30, 1, "", m));
        expectField("theta", () -> new Operator(3, 2, 4, 16000, Double.NaN, 100, 30, 1, "", m));
        expectField("stepRatio", () -> new Operator(3, 2, 4, 16000, 1, 0, 30, 1, "", m));
        expectField("stepRatio", () -> new Operator(3, 2, 4, 16000, 1, Double.POSITIVE_INFINITY, 30, 1, "", m));
        expectField("trainedIterations", () -> new Operator(3, 2, 4, 16000, 1, 100, 0, 1, "", m));
        expectField("trainedIterations", () -> new Operator(3, 2, 4, 16000, 1, 100, 1_000_001, 1, "", m));
        expectField("shifts", () -> new Operator(3, 2, 4, 16000, 1, 100, 30, 0, "", m));
        expectField("shifts", () -> new Operator(3, 2, 4, 16000, 1, 100, 30, 4, "", m));
        expectField("provenance", () -> new Operator(3, 2, 4, 16000, 1, 100, 30, 1, "x".repeat(65537), m));
        expectField("provenance", () -> new Operator(3, 2, 4, 16000, 1, 100, 30, 1, "\ud800", m));
        expectField("matrix", () -> new Operator(3, 2, 4, 16000, 1, 100, 30, 1, "", new float[5]));
        float[] nan = m.clone();
        nan[4] = Float.NaN;
        expectField("matrix", () -> new Operator(3, 2, 4, 16000, 1, 100, 30, 1, "", nan));
        expectField("matrix", () -> new Operator(3, 2, 4, 16000, 1, 100, 30, 1, "", new float[6]));
        float[] tiny = new float[6];
        tiny[0] = Float.MIN_VALUE;
        expectField("matrix", () -> new Operator(3, 2, 4, 16000, 1, 100, 30, 1, "", tiny));
    }

    private static void expectField(String field, Supplier<Operator> make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().startsWith("Operator: " + field + " "), e.getMessage());
    }
}
