package dev.pdq.solver;

import dev.pdq.blas.Blas;
import dev.pdq.blas.Transpose;
import dev.pdq.quant.Quantizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrimalDualTest {
    private static final String BACKENDS = "dev.pdq.testing.Backends#all";
    /** y = fl(x + c) with |c| <= r can land half an ulp (of numbers up to 2) beyond the box. */
    private static final double FEASIBILITY_SLACK = Math.ulp(2f);
    /** max |y_a - y_b| / max |y| between two float computations of the same iterates (different rounding). */
    private static final double FLOAT_AGREEMENT = 1e-5;
    /** Distance to the known solution of the identity problem after enough iterations. */
    private static final double IDENTITY_SOLUTION = 1e-6;
    /** Duality gap relative to the primal objective after many float iterations (observed: 4e-8). */
    private static final double GAP = 1e-6;

    static float[] gaussian(int len, long seed, float scale) {
        Random rnd = new Random(seed);
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (scale * rnd.nextGaussian());
        }
        return a;
    }

    /** Random frames on the grid of a quantizer (as the runtime sees them). */
    static float[] quantizedFrames(int len, long seed, Quantizer q) {
        Random rnd = new Random(seed);
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = q.quantize((float) (0.4 * rnd.nextGaussian()));
        }
        return a;
    }

    static PrimalDual solver(Blas blas, int n, int k, int maxBatch, float[] kMat) {
        PrimalDual pd = new PrimalDual(blas, n, k, maxBatch, 1f, 100.0);
        pd.setOperator(kMat, 0);
        return pd;
    }

    static float[] run(PrimalDual pd, float[] frames, int batch, float r, int iterations) {
        pd.load(frames, 0, batch, r);
        pd.solve(iterations);
        float[] y = new float[batch * pd.frameLength()];
        pd.readPrimal(y, 0);
        return y;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void everyOutputIsFeasible(Blas blas) {
        int n = 24;
        int k = 31;
        Quantizer q = new Quantizer(3);
        float r = q.halfWidth();
        PrimalDual pd = solver(blas, n, k, 32, gaussian(k * n, 1, 1f));
        for (int batch : new int[] {1, 3, 8, 32}) {
            for (int iterations : new int[] {1, 2, 10, 100}) {
                float[] x = quantizedFrames(batch * n, 100 * batch + iterations, q);
                float[] y = run(pd, x, batch, r, iterations);
                for (int i = 0; i < y.length; i++) {
                    double d = Math.abs((double) y[i] - x[i]);
                    assertTrue(d <= r + FEASIBILITY_SLACK, "B = " + batch + ", L = " + iterations + ", sample "
                            + i + ": |y - x| = " + d + " > r = " + r);
                }
            }
        }
    }

    /** Off-grid, large and tiny boxes too: feasibility does not depend on the input being quantized. */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void feasibleForArbitraryInputAndRadius(Blas blas) {
        int n = 320;
        PrimalDual pd = solver(blas, n, n, 8, gaussian(n * n, 2, 0.05f));
        for (float r : new float[] {0f, 1e-6f, 1f / 16, 0.5f}) {
            float[] x = gaussian(8 * n, 3, 0.7f);
            float[] y = run(pd, x, 8, r, 20);
            for (int i = 0; i < y.length; i++) {
                assertTrue(Math.abs((double) y[i] - x[i]) <= r + FEASIBILITY_SLACK, "r = " + r + ", sample " + i);
            }
        }
    }

    /** K = I: argmin ||y||_1 in the box is the point of [x - r, x + r] closest to 0. */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void convergesToTheKnownSolutionForTheIdentity(Blas blas) {
        int n = 16;
        float[] identity = new float[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1f;
        }
        float r = 1f / 16;
        PrimalDual pd = solver(blas, n, n, 4, identity);
        float[] x = gaussian(4 * n, 4, 0.2f);
        float[] y = run(pd, x, 4, r, 300);
        for (int i = 0; i < y.length; i++) {
            double expected = x[i] - Math.max(-r, Math.min(r, x[i]));
            assertEquals(expected, y[i], IDENTITY_SOLUTION, "sample " + i + ", x = " + x[i]);
        }
    }

    /**
     * Optimality certified independently of the algorithm: for feasible y and |psi| <= 1, weak duality gives
     * ||K y||_1 >= D(psi) = sum_t [(K^T psi)_t x_t - r |(K^T psi)_t|], so a small gap proves y near optimal.
     */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void dualityGapClosesOnASmallProblem(Blas blas) {
        int n = 8;
        int k = 12;
        float r = 1f / 8;
        float[] kMat = gaussian(k * n, 5, 1f);
        int batch = 3;
        PrimalDual pd = solver(blas, n, k, batch, kMat);
        float[] x = quantizedFrames(batch * n, 6, new Quantizer(3));
        float[] y = run(pd, x, batch, r, 20_000);
        float[] psi = new float[batch * k];
        System.arraycopy(pd.dual(), 0, psi, 0, psi.length);
        for (int f = 0; f < batch; f++) {
            double primal = 0;
            for (int i = 0; i < k; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += (double) kMat[i * n + j] * y[f * n + j];
                }
                primal += Math.abs(s);
                assertTrue(Math.abs(psi[f * k + i]) <= 1f, "dual feasible");
            }
            double dual = 0;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += (double) kMat[i * n + j] * psi[f * k + i];
                }
                dual += s * x[f * n + j] - r * Math.abs(s);
            }
            double gap = primal - dual;
            assertTrue(gap >= -1e-9 * primal, "weak duality violated: gap " + gap);
            assertTrue(gap <= GAP * primal, "frame " + f + ": gap " + gap + " of " + primal);
        }
    }

    /** B = 1 runs gemv, B > 1 gemm: the same frames give the same outputs. */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void gemvAndGemmPathsAgree(Blas blas) {
        int n = 64;
        int k = 80;
        int batch = 8;
        float r = 1f / 16;
        float[] kMat = gaussian(k * n, 7, 1f);
        float[] x = quantizedFrames(batch * n, 8, new Quantizer(4));
        PrimalDual batched = solver(blas, n, k, batch, kMat);
        PrimalDual single = solver(blas, n, k, 1, kMat);
        float[] yBatch = run(batched, x, batch, r, 50);
        float[] yOne = new float[batch * n];
        for (int f = 0; f < batch; f++) {
            single.load(x, f * n, 1, r);
            single.solve(50);
            single.readPrimal(yOne, f * n);
        }
        assertEquals(0, maxAbsDiff(yBatch, yOne) / maxAbs(yBatch), FLOAT_AGREEMENT);
    }

    /** load() resets the state: a reused solver gives exactly what a fresh one gives. */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void loadResetsTheState(Blas blas) {
        int n = 32;
        float[] kMat = gaussian(n * n, 9, 1f);
        float[] a = gaussian(4 * n, 10, 0.3f);
        float[] b = gaussian(2 * n, 11, 0.3f);
        PrimalDual reused = solver(blas, n, n, 4, kMat);
        run(reused, a, 4, 0.1f, 30);
        float[] again = run(reused, b, 2, 0.05f, 30);
        float[] fresh = run(solver(blas, n, n, 4, kMat), b, 2, 0.05f, 30);
        assertArrayEquals(fresh, again);
    }

    /** Scaling K does not change the forward map (the steps scale with 1/||K||). */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void scalingKChangesNothing(Blas blas) {
        int n = 40;
        float[] kMat = gaussian(n * n, 12, 1f);
        float[] scaled = kMat.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 37.3f;
        }
        float[] x = quantizedFrames(3 * n, 13, new Quantizer(4));
        float[] y = run(solver(blas, n, n, 3, kMat), x, 3, 1f / 16, 40);
        float[] ys = run(solver(blas, n, n, 3, scaled), x, 3, 1f / 16, 40);
        assertEquals(0, maxAbsDiff(y, ys) / maxAbs(y), FLOAT_AGREEMENT);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void stepsFollowTheNormAndRatio(Blas blas) {
        int n = 20;
        float[] kMat = gaussian(n * n, 14, 1f);
        PrimalDual pd = new PrimalDual(blas, n, n, 1, 1f, 25.0);
        pd.setOperator(kMat, 0);
        double norm = pd.spectralNorm();
        assertEquals(5 * 0.99 / norm, pd.sigma(), 1e-6 * pd.sigma());
        assertEquals(0.99 / (5 * norm), pd.tau(), 1e-6 * pd.tau());
        assertTrue(pd.sigma() * pd.tau() * norm * norm < 1);
    }

    /** A norm given with K is taken as is (steps from it, no estimate); zero, NaN or infinity is refused. */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void givenNormSetsTheSteps(Blas blas) {
        int n = 8;
        float[] kMat = gaussian(n * n, 16, 1f);
        PrimalDual pd = new PrimalDual(blas, n, n, 1, 1f, 25.0);
        pd.setOperator(kMat, 0, 3.0);
        assertEquals(3.0, pd.spectralNorm());
        assertEquals((float) (5 * 0.99 / 3.0), pd.sigma());
        assertEquals((float) (0.99 / (5 * 3.0)), pd.tau());
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> pd.setOperator(kMat, 0, bad), "norm " + bad);
            assertThrows(IllegalStateException.class, () -> pd.load(new float[n], 0, 1, 0.1f),
                    "a solver whose norm was refused must not run");
        }
    }

    /** A zero or NaN K is refused, and the norm estimate recovers afterwards (no stuck warm start). */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void normEstimateRecoversFromDegenerateOperators(Blas blas) {
        int n = 16;
        PrimalDual pd = new PrimalDual(blas, n, n, 1, 1f, 100.0);
        assertThrows(IllegalArgumentException.class, () -> pd.setOperator(new float[n * n], 0));
        float[] nan = gaussian(n * n, 15, 1f);
        nan[5] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> pd.setOperator(nan, 0));
        assertThrows(IllegalStateException.class, () -> pd.load(new float[n], 0, 1, 0.1f),
                "a solver whose operator was refused must not run");
        float[] identity = new float[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 2f;
        }
        pd.setOperator(identity, 0);
        assertEquals(2.0, pd.spectralNorm(), 1e-6);
    }

    /**
     * After warm-up, the solver's own code allocates nothing per iteration (the design's "nothing allocated per
     * frame"). Runs on {@link UncheckedLoopBlas}, so that this measures PrimalDual and not a backend's argument
     * checks.
     */
    @Test
    void iterationsDoNotAllocate() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM cannot count allocations");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        int n = 32;
        for (int batch : new int[] {1, 4}) {
            PrimalDual pd = solver(new UncheckedLoopBlas(), n, n, batch, gaussian(n * n, 16, 1f));
            float[] x = gaussian(batch * n, 17, 0.3f);
            float[] y = new float[batch * n];
            for (int warm = 0; warm < 300; warm++) {
                pd.load(x, 0, batch, 0.1f);
                pd.solve(20);
                pd.readPrimal(y, 0);
            }
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            for (int rep = 0; rep < 100; rep++) {
                pd.load(x, 0, batch, 0.1f);
                pd.solve(20);
                pd.readPrimal(y, 0);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            // 2000 iterations: even 8 bytes each would show; allow for the measurement's own few objects
            assertTrue(allocated < 1024, "B = " + batch + ": " + allocated + " bytes allocated");
        }
    }

    /** Plain loops on heap buffers, no argument checks: only for measuring the solver's own allocations. */
    static final class UncheckedLoopBlas implements Blas {
        @Override
        public String name() {
            return "loops";
        }

        @Override
        public String description() {
            return "unchecked loops (test only)";
        }

        @Override
        public java.nio.FloatBuffer allocate(int length) {
            return java.nio.FloatBuffer.allocate(length);
        }

        @Override
        public void sgemv(Transpose trans, int m, int n, float alpha, java.nio.FloatBuffer a, int aOff, int lda,
                          java.nio.FloatBuffer x, int xOff, float beta, java.nio.FloatBuffer y, int yOff) {
            int rows = trans.transposed() ? n : m;
            int inner = trans.transposed() ? m : n;
            for (int i = 0; i < rows; i++) {
                float s = 0f;
                for (int j = 0; j < inner; j++) {
                    int at = trans.transposed() ? aOff + j * lda + i : aOff + i * lda + j;
                    s += a.get(at) * x.get(xOff + j);
                }
                y.put(yOff + i, alpha * s + (beta == 0f ? 0f : beta * y.get(yOff + i)));
            }
        }

        @Override
        public void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                          java.nio.FloatBuffer a, int aOff, int lda, java.nio.FloatBuffer b, int bOff, int ldb,
                          float beta, java.nio.FloatBuffer c, int cOff, int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        float aip = transA.transposed() ? a.get(aOff + p * lda + i) : a.get(aOff + i * lda + p);
                        float bpj = transB.transposed() ? b.get(bOff + j * ldb + p) : b.get(bOff + p * ldb + j);
                        s += aip * bpj;
                    }
                    int at = cOff + i * ldc + j;
                    c.put(at, alpha * s + (beta == 0f ? 0f : beta * c.get(at)));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void rejectsInvalidArguments(Blas blas) {
        int n = 4;
        assertThrows(IllegalArgumentException.class, () -> new PrimalDual(blas, 0, 4, 1, 1f, 100));
        assertThrows(IllegalArgumentException.class, () -> new PrimalDual(blas, 4, 0, 1, 1f, 100));
        assertThrows(IllegalArgumentException.class, () -> new PrimalDual(blas, 4, 4, 0, 1f, 100));
        assertThrows(IllegalArgumentException.class, () -> new PrimalDual(blas, 4, 4, 1, 1.5f, 100));
        assertThrows(IllegalArgumentException.class, () -> new PrimalDual(blas, 4, 4, 1, Float.NaN, 100));
        assertThrows(IllegalArgumentException.class, () -> new PrimalDual(blas, 4, 4, 1, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new PrimalDual(blas, 4, 4, 1, 1f, Double.NaN));
        PrimalDual pd = new PrimalDual(blas, n, n, 2, 1f, 100);
        float[] x = new float[2 * n];
        IllegalStateException noOp = assertThrows(IllegalStateException.class, () -> pd.load(x, 0, 1, 0.1f));
        assertTrue(noOp.getMessage().contains("no operator"), noOp.getMessage());
        pd.setOperator(gaussian(n * n, 18, 1f), 0);
        assertThrows(IllegalArgumentException.class, () -> pd.load(x, 0, 0, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> pd.load(x, 0, 3, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> pd.load(x, 0, 1, -0.1f));
        assertThrows(IllegalArgumentException.class, () -> pd.load(x, 0, 1, Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> pd.load(x, 5, 1, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> pd.setSteps(0f, 1f));
        assertThrows(IllegalArgumentException.class, () -> pd.setSteps(1f, Float.POSITIVE_INFINITY));
        x[n + 2] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> pd.load(x, 0, 2, 0.1f));
        assertTrue(nan.getMessage().contains("frame 1 of the batch, sample 2 is NaN"), nan.getMessage());
    }

    @Test
    void accessorsDescribeTheSolver() {
        PrimalDual pd = new PrimalDual(new dev.pdq.blas.JavaBlas(), 6, 5, 3, 0.5f, 100);
        assertEquals(6, pd.frameLength());
        assertEquals(5, pd.coefficients());
        assertEquals(3, pd.maxBatch());
        assertEquals(0.5f, pd.theta());
        assertEquals(30, pd.operator().capacity());
        assertEquals(18, pd.primal().length);
        assertEquals(15, pd.dual().length);
    }

    /**
     * A frame whose every cell holds 0 comes out as exactly 0 when asked (the exact minimizer of ||K y||_1 over the
     * cells), its neighbours in the batch as without the option; without it, the iterations only approach 0.
     */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void silentFramesComeOutAsZeroWhenAsked(Blas blas) {
        int n = 16;
        float r = 1f / 16;
        PrimalDual pd = solver(blas, n, n, 2, gaussian(n * n, 21, 1f));
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 3 == 0 ? -0.5f : 0.5f) * r;     // every cell [x - r, x + r] holds 0 inside
            x[n + i] = (float) (0.5 * Math.sin(0.7 * i)); // a loud frame
        }
        float[] plain = run(pd, x, 2, r, 10);
        pd.setSilentFramesAreZero(true);
        float[] zeroed = run(pd, x, 2, r, 10);
        assertTrue(pd.isSilent(0) && !pd.isSilent(1));
        for (int i = 0; i < n; i++) {
            assertEquals(0f, zeroed[i], 0f, "silent frame sample " + i);
            assertEquals(plain[n + i], zeroed[n + i], 0f, "loud frame sample " + i);
        }
        assertTrue(maxAbs(java.util.Arrays.copyOf(plain, n)) > 0, "without the option the iterates are not 0 yet");
    }
}
