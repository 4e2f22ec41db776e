package dev.pdq.train.grad;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weighting filter and the weighted loss against the dense double reference ({@link ReferenceWeightedLoss}:
 * Yule-Walker by LU, W = G T(b) T(c)^-1), and the loss's gradient against central differences of its own loss.
 */
class WeightedLossTest {
    private static final int N = 64;
    private static final int ORDER = 10;
    /** Recursions against dense matrices, both double (measured: about 1e-15). */
    private static final double DOUBLE_TOL = 1e-10;

    /** Speech-like blocks: two resonances driven by a pulse train and noise; a sine; a quiet one; silence. */
    static float[][] cleanBlocks(long seed) {
        Random rnd = new Random(seed);
        float[][] out = new float[4][];
        out[0] = resonant(rnd, N);
        out[1] = new float[N];
        out[2] = new float[N];
        out[3] = new float[N];
        for (int t = 0; t < N; t++) {
            out[1][t] = (float) (0.5 * Math.sin(2 * Math.PI * 0.07 * t + 1) + 0.01 * rnd.nextGaussian());
            out[2][t] = (float) (1e-4 * rnd.nextGaussian());
        }
        return out;
    }

    /** Two resonances (radius 0.95 at 600 Hz, 0.9 at 2.2 kHz, at 16 kHz) driven by a pulse train and noise. */
    static float[] resonant(Random rnd, int n) {
        float[] out = new float[n];
        double y1 = 0;
        double y2 = 0;
        double z1 = 0;
        double z2 = 0;
        for (int t = 0; t < n; t++) {
            double drive = (t % 23 == 0 ? 1 : 0) + 0.05 * rnd.nextGaussian();
            double y = drive + 2 * 0.95 * Math.cos(2 * Math.PI * 600 / 16000) * y1 - 0.95 * 0.95 * y2;
            double z = y + 2 * 0.9 * Math.cos(2 * Math.PI * 2200 / 16000) * z1 - 0.9 * 0.9 * z2;
            y2 = y1;
            y1 = y;
            z2 = z1;
            z1 = z;
            out[t] = (float) (0.05 * z);
        }
        return out;
    }

    static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static double relative(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < b.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void filterAndItsTransposeMatchTheDenseReference() {
        ReferenceWeightedLoss ref = new ReferenceWeightedLoss(ORDER, 0.9, 0.6, 1);
        WeightingFilter filter = new WeightingFilter(N, ORDER, 0.9, 0.6);
        Random rnd = new Random(7);
        for (float[] clean : cleanBlocks(3)) {
            filter.analyse(clean, 0);
            DMatrixRMaj w = ref.matrix(doubles(clean));
            double[] e = new double[N];
            for (int t = 0; t < N; t++) {
                e[t] = rnd.nextGaussian();
            }
            double[] we = new double[N];
            double[] wte = new double[N];
            filter.apply(e, 0, we, 0);
            filter.applyTransposed(e, 0, wte, 0);
            assertTrue(relative(we, ReferenceWeightedLoss.times(w, e, false)) < DOUBLE_TOL, "W e");
            assertTrue(relative(wte, ReferenceWeightedLoss.times(w, e, true)) < DOUBLE_TOL, "W^T e");
            // unit power on white noise: the impulse response (W's first column) has unit norm
            double[] delta = new double[N];
            delta[0] = 1;
            double[] h = new double[N];
            filter.apply(delta, 0, h, 0);
            double energy = 0;
            for (double v : h) {
                energy += v * v;
            }
            assertEquals(1, energy, 1e-12, "||h||^2");
        }
    }

    @Test
    void theFilterShapesErrorLikeTheSpeechEnvelope() {
        // W is low at the formants and high between them: on the resonant block, an error at the 600 Hz formant
        // passes with less gain than one at 4 kHz, between the formants
        int n = 320;
        WeightingFilter filter = new WeightingFilter(n, ORDER, 0.9, 0.6);
        filter.analyse(resonant(new Random(3), n), 0);
        assertTrue(gainAt(filter, n, 600) < 0.5 * gainAt(filter, n, 4000),
                "gain at 600 Hz " + gainAt(filter, n, 600) + ", at 4 kHz " + gainAt(filter, n, 4000));
    }

    /** ||W x|| / ||x|| for a sine at f Hz (16 kHz). */
    private static double gainAt(WeightingFilter filter, int n, double f) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = Math.sin(2 * Math.PI * f / 16000 * t);
        }
        filter.apply(x, 0, y, 0);
        double ex = 0;
        double ey = 0;
        for (int t = n / 2; t < n; t++) { // past the start-up from rest
            ex += x[t] * x[t];
            ey += y[t] * y[t];
        }
        return Math.sqrt(ey / ex);
    }

    @Test
    void aSilentBlockIsWeightedByTheIdentity() {
        WeightingFilter filter = new WeightingFilter(N, ORDER, 0.9, 0.6);
        filter.analyse(new float[N], 0);
        double[] e = new double[N];
        for (int t = 0; t < N; t++) {
            e[t] = t - 20.5;
        }
        double[] we = new double[N];
        double[] wte = new double[N];
        filter.apply(e, 0, we, 0);
        filter.applyTransposed(e, 0, wte, 0);
        assertArrayEquals(e, we);
        assertArrayEquals(e, wte);
    }

    @ParameterizedTest(name = "w = {0}")
    @ValueSource(doubles = {0, 0.3, 1})
    void lossAndGradientMatchTheReferenceOverSeveralBlocks(double weight) {
        float[][] blocks = cleanBlocks(11);
        int count = blocks.length;
        float[] clean = new float[2 * N + count * N]; // at an offset
        double[] error = new double[N + count * N];
        Random rnd = new Random(5);
        ReferenceWeightedLoss ref = new ReferenceWeightedLoss(ORDER, 0.9, 0.6, weight);
        double expected = 1.5;
        double[][] expectedGrad = new double[count][];
        for (int b = 0; b < count; b++) {
            System.arraycopy(blocks[b], 0, clean, 2 * N + b * N, N);
            double[] e = new double[N];
            for (int t = 0; t < N; t++) {
                e[t] = 0.01 * rnd.nextGaussian();
                error[N + b * N + t] = e[t];
            }
            expected += ref.loss(e, doubles(blocks[b]));
            expectedGrad[b] = ref.lossGradient(e, doubles(blocks[b]));
        }
        WeightedLoss loss = new WeightedLoss(N, ORDER, 0.9, 0.6, weight);
        double got = loss.addLossAndGradient(1.5, error, N, clean, 2 * N, count);
        assertEquals(expected, got, 1e-12 * expected, "loss added to the running sum");
        for (int b = 0; b < count; b++) {
            double[] g = java.util.Arrays.copyOfRange(error, N + b * N, N + (b + 1) * N);
            assertTrue(relative(g, expectedGrad[b]) < DOUBLE_TOL, "block " + b + ": gradient");
        }
    }

    @Test
    void gradientMatchesCentralDifferencesOfTheLoss() {
        float[] clean = cleanBlocks(21)[0];
        WeightedLoss loss = new WeightedLoss(N, ORDER, 0.9, 0.6, 0.7);
        Random rnd = new Random(9);
        double[] e = new double[N];
        for (int t = 0; t < N; t++) {
            e[t] = 0.02 * rnd.nextGaussian();
        }
        double[] g = e.clone();
        loss.addLossAndGradient(0, g, 0, clean, 0, 1);
        double h = 1e-5;
        double[] fd = new double[N];
        for (int t = 0; t < N; t++) {
            double[] up = e.clone();
            double[] down = e.clone();
            up[t] += h;
            down[t] -= h;
            fd[t] = (loss.addLossAndGradient(0, up, 0, clean, 0, 1) - loss.addLossAndGradient(0, down, 0, clean, 0, 1))
                    / (2 * h);
        }
        // the loss is quadratic in e: central differences are exact up to rounding
        assertTrue(relative(g, fd) < 1e-7, "relative error " + relative(g, fd));
    }

    @Test
    void weightZeroIsTheSquaredErrorBitForBit() {
        float[] clean = cleanBlocks(4)[1];
        Random rnd = new Random(2);
        double[] a = new double[N];
        for (int t = 0; t < N; t++) {
            a[t] = rnd.nextGaussian();
        }
        double[] b = a.clone();
        double plain = new SquaredError(N).addLossAndGradient(0.25, a, 0, clean, 0, 1);
        double weighted = new WeightedLoss(N, ORDER, 0.9, 0.6, 0).addLossAndGradient(0.25, b, 0, clean, 0, 1);
        assertEquals(plain, weighted);
        assertArrayEquals(a, b);
    }

    @Test
    void specsParseAndBuildTheirLoss() {
        assertEquals(LossSpec.MSE, LossSpec.parse(" MSE ", 0.9));
        LossSpec w = LossSpec.parse("weighted", 0.3);
        assertEquals(new LossSpec(LossSpec.Kind.WEIGHTED, 0.3), w);
        assertTrue(LossSpec.MSE.create(320, 16000) instanceof SquaredError);
        Loss loss = w.create(320, 16000);
        assertTrue(loss instanceof WeightedLoss wl && wl.weight() == 0.3);
        assertEquals(10, WeightedLoss.lpcOrder(16000));
        assertEquals(8, WeightedLoss.lpcOrder(8000));
        assertThrows(IllegalArgumentException.class, () -> LossSpec.parse("l1", 0.5));
        assertThrows(IllegalArgumentException.class, () -> LossSpec.parse("weighted", 1.5));
        assertThrows(IllegalArgumentException.class, () -> new WeightingFilter(8, 8, 0.9, 0.6));
    }
}
