package dev.pdq.train.grad;

import dev.pdq.blas.JavaBlas;
import dev.pdq.quant.Quantizer;
import dev.pdq.solver.PrimalDual;
import dev.pdq.train.corpus.FrameBatch;
import dev.pdq.train.corpus.FrameSet;
import dev.pdq.train.corpus.GridSegments;
import dev.pdq.train.corpus.Utterance;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The averaged-output gradient against central differences of the averaged loss computed in double precision. */
class GridAveragedGradientTest {
    private static final int N = 8;
    private static final int K = 8;
    private static final int GRIDS = 2;
    private static final int M = 2;
    private static final int L = 6;
    private static final int BITS = 4;
    /** Float gradient (exact Jacobian, alpha = r) against double central differences. */
    private static final double GRAD_TOL = 2e-3;
    private static final double LOSS_TOL = 1e-4;

    /** A problem: the layout, the quantized frames and clean targets of two examples, and K. */
    private record Setup(GridSegments layout, float[] x, float[] s, double[][] kMat, int frames) {
    }

    private static Setup awayFromKinks(float r) {
        Quantizer q = new Quantizer(BITS);
        int[] order = {3, 0}; // the last segment and the first (mirrored start)
        int per = M + (GRIDS - 1) * (M + 1);
        int frames = order.length * per;
        for (long seed = 1; seed < 2000; seed++) {
            Random rnd = new Random(seed);
            float[] signal = new float[8 * N];
            double f = 0.03 + 0.05 * rnd.nextDouble();
            for (int t = 0; t < signal.length; t++) {
                signal[t] = (float) (0.7 * Math.sin(2 * Math.PI * f * t + rnd.nextDouble() * 0.1)
                        + 0.05 * rnd.nextGaussian());
            }
            GridSegments g = new GridSegments(FrameSet.of(List.of(new Utterance(Path.of("u.wav"), 0, 1, 16000,
                    signal)), N), GRIDS, M);
            FrameBatch fb = new FrameBatch(frames, N);
            g.gather(order, 0, order.length, null, null, q, fb);
            double[][] km = Problems.round(Problems.operator(rnd, K, N, 0.1));
            if (reference(km, r).kinkMargin(rows(fb.x), L, r) >= ReferenceUnrollTest.KINK_MARGIN) {
                return new Setup(g, fb.x, fb.clean, km, frames);
            }
        }
        return fail("no seed keeps the iterates away from the kinks");
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheAveragedLoss() {
        Quantizer q = new Quantizer(BITS);
        float r = q.halfWidth();
        Setup setup = awayFromKinks(r);
        GridSegments layout = setup.layout();
        float[] x = setup.x();
        float[] s = setup.s();
        double[][] kMat = setup.kMat();
        int frames = setup.frames();
        ReferenceUnroll ref = reference(kMat, r);
        float[] grad = new float[K * N];
        double loss;
        try (GradientMethod inner = new FullBackprop(new JavaBlas(), N, K, frames, L, r)) {
            GridAveragedGradient g = new GridAveragedGradient(inner,
                    new PrimalDual(new JavaBlas(), N, K, frames, 1f, 100), layout);
            g.setOperator(Problems.flat(kMat));
            g.setSteps((float) ref.sigma, (float) ref.tau);
            loss = g.lossAndGradient(x, s, 0, frames, r, grad);
        }
        double exact = averagedLoss(ref, layout, x, s, frames);
        assertEquals(exact, loss, LOSS_TOL * exact, "averaged loss");
        double[][] fd = Problems.centralDifferences(kMat, () -> averagedLoss(ref, layout, x, s, frames));
        double err = Problems.relativeError(grad, fd);
        assertTrue(err <= GRAD_TOL, "relative error against finite differences " + err);
    }

    /** The CELP-weighted loss (p = 3 < n = 8) of the averaged output, per block of the segment. */
    @Test
    void weightedLossMatchesFiniteDifferencesOfTheAveragedLoss() {
        float r = new Quantizer(BITS).halfWidth();
        Setup setup = awayFromKinks(r);
        double[][] kMat = setup.kMat();
        ReferenceUnroll ref = reference(kMat, r);
        ReferenceWeightedLoss wl = new ReferenceWeightedLoss(3, 0.9, 0.6, 0.7);
        float[] grad = new float[K * N];
        double loss;
        int frames = setup.frames();
        try (GradientMethod inner = new FullBackprop(new JavaBlas(), N, K, frames, L, r)) {
            GridAveragedGradient g = new GridAveragedGradient(inner,
                    new PrimalDual(new JavaBlas(), N, K, frames, 1f, 100), setup.layout(),
                    new WeightedLoss(N, 3, 0.9, 0.6, 0.7));
            g.setOperator(Problems.flat(kMat));
            g.setSteps((float) ref.sigma, (float) ref.tau);
            loss = g.lossAndGradient(setup.x(), setup.s(), 0, frames, r, grad);
        }
        double exact = weightedAveragedLoss(ref, wl, setup);
        assertEquals(exact, loss, LOSS_TOL * exact, "averaged weighted loss");
        double[][] fd = Problems.centralDifferences(kMat, () -> weightedAveragedLoss(ref, wl, setup));
        double err = Problems.relativeError(grad, fd);
        assertTrue(err <= GRAD_TOL, "relative error against finite differences " + err);
    }

    @Test
    void refusesAnInnerMethodWithAnotherLossThanTheSquaredError() {
        try (GradientMethod inner = new FullBackprop(new JavaBlas(), N, K, 16, L, 1f,
                new WeightedLoss(N, 3, 0.9, 0.6, 0.5))) {
            GridSegments layout = new GridSegments(FrameSet.of(List.of(new Utterance(Path.of("u.wav"), 0, 1, 16000,
                    new float[8 * N])), N), GRIDS, M);
            assertThrows(IllegalArgumentException.class, () -> new GridAveragedGradient(inner,
                    new PrimalDual(new JavaBlas(), N, K, 16, 1f, 100), layout));
        }
    }

    /**
     * sum over each example's segment, block by block of n samples, of the reference weighted loss of
     * (mean of the grids' y^L - clean), in double.
     */
    private static double weightedAveragedLoss(ReferenceUnroll ref, ReferenceWeightedLoss wl, Setup setup) {
        double[][] y = ref.solve(rows(setup.x()), L);
        GridSegments layout = setup.layout();
        int per = layout.framesPerExample();
        double loss = 0;
        for (int e = 0; e < setup.frames() / per; e++) {
            double[] mean = new double[M * N];
            for (int f = 0; f < per; f++) {
                for (int i = 0; i < N; i++) {
                    int t = layout.frameStart(f) + i;
                    if (t >= 0 && t < M * N) {
                        mean[t] += y[e * per + f][i] / GRIDS;
                    }
                }
            }
            for (int b = 0; b < M; b++) {
                double[] err = new double[N];
                double[] clean = new double[N];
                for (int i = 0; i < N; i++) {
                    clean[i] = setup.s()[(e * per + b) * N + i];
                    err[i] = mean[b * N + i] - clean[i];
                }
                loss += wl.loss(err, clean);
            }
        }
        return loss;
    }

    /** sigma and tau of the paper's rule for this K, rounded to float like the float code's. */
    private static ReferenceUnroll reference(double[][] kMat, float r) {
        double norm = org.ejml.dense.row.NormOps_DDRM.normP2(new org.ejml.data.DMatrixRMaj(kMat));
        return new ReferenceUnroll(kMat, (float) (10 * 0.99 / norm), (float) (0.1 * 0.99 / norm), 1.0, r);
    }

    /** 0.5 sum over each example's segment of (mean of the grids' y^L - clean)^2, written plainly in double. */
    private static double averagedLoss(ReferenceUnroll ref, GridSegments layout, float[] x, float[] s, int frames) {
        double[][] y = ref.solve(rows(x), L);
        int per = layout.framesPerExample();
        double loss = 0;
        for (int e = 0; e < frames / per; e++) {
            double[] sum = new double[M * N];
            int[] covered = new int[M * N];
            for (int f = 0; f < per; f++) {
                for (int i = 0; i < N; i++) {
                    int t = layout.frameStart(f) + i;
                    if (t >= 0 && t < M * N) {
                        sum[t] += y[e * per + f][i];
                        covered[t]++;
                    }
                }
            }
            for (int t = 0; t < M * N; t++) {
                assertEquals(GRIDS, covered[t], "sample " + t + " is covered once per grid");
                double d = sum[t] / GRIDS - s[(e * per + t / N) * N + t % N];
                loss += 0.5 * d * d;
            }
        }
        return loss;
    }

    private static double[][] rows(float[] a) {
        double[][] out = new double[a.length / N][N];
        for (int i = 0; i < a.length; i++) {
            out[i / N][i % N] = a[i];
        }
        return out;
    }
}
