package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Gradients with per-sample cells (issue 16): asymmetric cells of different widths, frames solved in their scale
 * 2^j and the loss taken in the signal's own scale, against central finite differences of an independent
 * double-precision forward pass written here from the formulas:
 *
 * <pre>
 *   c = 2^ceil(log2(max_t min(-below_t, above_t) / unit))       x' = x / c, below' = below / c, above' = above / c
 *   Algorithm 1 on x' with y_new = x' + clip(zP - x', below', above')
 *   l = 0.5 sum_f ||c y'^L - s||^2
 * </pre>
 *
 * with the exact masks (alpha = unit), inputs kept away from the kinks.
 */
class CellGradientTest {
    private static final int N = 8;
    private static final int K = 10;
    private static final int FRAMES = 3;
    private static final int L = 6;
    private static final float UNIT = 1f / 16;
    /** Scale exponents of the three frames' cells: full scale, a quarter, 1/32 (a quiet BFP block). */
    private static final int[] GAIN = {0, 2, 5};

    /** One problem: K, values, cells, clean targets; fixed steps. */
    record Cells(double[][] kMat, double[][] x, double[][] below, double[][] above, double[][] s, double sigma,
                 double tau) {
    }

    static Cells problem(long seed) {
        Random rnd = new Random(seed);
        double[][] kMat = Problems.round(Problems.operator(rnd, K, N, 0.1));
        double[][] x = new double[FRAMES][N];
        double[][] below = new double[FRAMES][N];
        double[][] above = new double[FRAMES][N];
        double[][] s = new double[FRAMES][N];
        for (int f = 0; f < FRAMES; f++) {
            double g = Math.scalb(1.0, -GAIN[f]);
            double phase = 2 * Math.PI * rnd.nextDouble();
            for (int t = 0; t < N; t++) {
                double clean = g * (0.6 * Math.sin(2 * Math.PI * t / N + phase) + 0.05 * rnd.nextGaussian());
                // an asymmetric cell around a decoded value near the clean sample (as ADPCM's are)
                double lo = g * UNIT * (0.3 + 0.9 * rnd.nextDouble());
                double hi = g * UNIT * (0.3 + 0.9 * rnd.nextDouble());
                x[f][t] = (float) (clean + (hi - lo) * 0.3 * rnd.nextDouble());
                below[f][t] = -(float) lo;
                above[f][t] = (float) hi;
                s[f][t] = (float) clean;
            }
        }
        double norm = org.ejml.dense.row.NormOps_DDRM.normP2(new org.ejml.data.DMatrixRMaj(kMat));
        return new Cells(kMat, x, below, above, s, (float) (10 * 0.99 / norm), (float) (0.1 * 0.99 / norm));
    }

    /** c = 2^ceil(log2(h / unit)) of a frame, written independently of FrameScale. */
    static double scale(double[] below, double[] above) {
        double h = 0;
        for (int t = 0; t < below.length; t++) {
            h = Math.max(h, Math.min(-below[t], above[t]));
        }
        return Math.pow(2, Math.ceil(Math.log(h / UNIT) / Math.log(2) - 1e-12));
    }

    /** The loss in double, and (if margin != null) the smallest distance of the iterates to a mask kink. */
    static double loss(Cells p, double[][] kMat, double[] margin) {
        double[][] out = outputs(p, kMat, margin);
        double sum = 0;
        for (int f = 0; f < FRAMES; f++) {
            for (int t = 0; t < N; t++) {
                double e = out[f][t] - p.s[f][t];
                sum += e * e;
            }
        }
        return 0.5 * sum;
    }

    /** c y'^L of every frame, in the signal's scale, and (if margin != null) the smallest distance to a kink. */
    static double[][] outputs(Cells p, double[][] kMat, double[] margin) {
        double[][] out = new double[FRAMES][N];
        for (int f = 0; f < FRAMES; f++) {
            double c = scale(p.below[f], p.above[f]);
            double[] x = new double[N];
            double[] lo = new double[N];
            double[] hi = new double[N];
            for (int t = 0; t < N; t++) {
                x[t] = p.x[f][t] / c;
                lo[t] = p.below[f][t] / c;
                hi[t] = p.above[f][t] / c;
            }
            double[] y = x.clone();
            double[] ybar = x.clone();
            double[] psi = new double[K];
            for (int l = 0; l < L; l++) {
                for (int i = 0; i < K; i++) {
                    double kv = 0;
                    for (int j = 0; j < N; j++) {
                        kv += kMat[i][j] * ybar[j];
                    }
                    double zD = psi[i] + p.sigma * kv;
                    psi[i] = Math.max(-1, Math.min(1, zD));
                    if (margin != null) {
                        margin[0] = Math.min(margin[0], Math.abs(Math.abs(zD) - 1));
                    }
                }
                for (int j = 0; j < N; j++) {
                    double ktp = 0;
                    for (int i = 0; i < K; i++) {
                        ktp += kMat[i][j] * psi[i];
                    }
                    double zP = y[j] - p.tau * ktp;
                    double d = zP - x[j];
                    double yNew = x[j] + Math.max(lo[j], Math.min(hi[j], d));
                    if (margin != null) {
                        margin[0] = Math.min(margin[0], Math.min(Math.abs(d - lo[j]), Math.abs(d - hi[j])) / c);
                    }
                    ybar[j] = yNew + (yNew - y[j]);
                    y[j] = yNew;
                }
            }
            for (int t = 0; t < N; t++) {
                out[f][t] = c * y[t];
            }
        }
        return out;
    }

    /** The first problem whose iterates keep away from the kinks. */
    static Cells awayFromKinks() {
        for (long seed = 1; seed < 200; seed++) {
            Cells c = problem(seed);
            double[] margin = {Double.POSITIVE_INFINITY};
            outputs(c, c.kMat, margin);
            if (margin[0] >= ReferenceUnrollTest.KINK_MARGIN * UNIT) {
                return c;
            }
        }
        return fail("no seed keeps the iterates away from the kinks");
    }

    static float[] flat(double[][] a) {
        return Problems.flat(a);
    }

    @ParameterizedTest
    @MethodSource("dev.pdq.train.grad.Backends#all")
    void fullBackpropagationWithCellsMatchesFiniteDifferences(Blas blas) {
        Cells p = awayFromKinks();
        double[][] fd = new double[K][N];
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < N; j++) {
                double[][] km = new double[K][];
                for (int r = 0; r < K; r++) {
                    km[r] = p.kMat[r].clone();
                }
                double h = ReferenceUnrollTest.FD_STEP;
                km[i][j] = p.kMat[i][j] + h;
                double up = loss(p, km, null);
                km[i][j] = p.kMat[i][j] - h;
                double down = loss(p, km, null);
                fd[i][j] = (up - down) / (2 * h);
            }
        }
        float[] grad = new float[K * N];
        double got;
        try (FullBackprop m = new FullBackprop(blas, N, K, FRAMES, L, UNIT)) {
            m.setOperator(flat(p.kMat), (float) p.sigma, (float) p.tau);
            got = m.lossAndGradient(flat(p.x), flat(p.below), flat(p.above), flat(p.s), 0, FRAMES, UNIT, grad);
        }
        double exact = loss(p, p.kMat, null);
        assertEquals(exact, got, BackpropTest.FLOAT_LOSS_TOL * exact, "loss in the signal's scale");
        double err = Problems.relativeError(grad, fd);
        assertTrue(err <= BackpropTest.FLOAT_GRAD_TOL, "relative error " + err + " against finite differences");
    }

    /** The weighted loss l = sum_f l_W(c y'^L - s) of the frames in their scales (p = 3 < n = 8). */
    @ParameterizedTest
    @MethodSource("dev.pdq.train.grad.Backends#all")
    void weightedLossWithCellsMatchesFiniteDifferences(Blas blas) {
        Cells p = awayFromKinks();
        ReferenceWeightedLoss wl = new ReferenceWeightedLoss(3, 0.9, 0.6, 0.5);
        double[][] fd = new double[K][N];
        double h = ReferenceUnrollTest.FD_STEP;
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < N; j++) {
                double[][] km = new double[K][];
                for (int r = 0; r < K; r++) {
                    km[r] = p.kMat[r].clone();
                }
                km[i][j] = p.kMat[i][j] + h;
                double up = wl.totalLoss(outputs(p, km, null), p.s);
                km[i][j] = p.kMat[i][j] - h;
                double down = wl.totalLoss(outputs(p, km, null), p.s);
                fd[i][j] = (up - down) / (2 * h);
            }
        }
        float[] grad = new float[K * N];
        double got;
        try (FullBackprop m = new FullBackprop(blas, N, K, FRAMES, L, UNIT, new WeightedLoss(N, 3, 0.9, 0.6, 0.5))) {
            m.setOperator(flat(p.kMat), (float) p.sigma, (float) p.tau);
            got = m.lossAndGradient(flat(p.x), flat(p.below), flat(p.above), flat(p.s), 0, FRAMES, UNIT, grad);
        }
        double exact = wl.totalLoss(outputs(p, p.kMat, null), p.s);
        assertEquals(exact, got, BackpropTest.FLOAT_LOSS_TOL * exact, "weighted loss in the signal's scale");
        double err = Problems.relativeError(grad, fd);
        assertTrue(err <= BackpropTest.FLOAT_GRAD_TOL, "relative error " + err + " against finite differences");
    }
}
