package dev.pdq.train.grad;

import dev.pdq.blas.Blas;
import dev.pdq.blas.JavaBlas;
import dev.pdq.blas.Transpose;

import java.nio.FloatBuffer;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Rough time per training step (not a test; run by hand): B frames of n = k samples, full against truncated, one
 * worker against W, with the raw gemm time of the same shapes measured in the same run. Times are the fastest of
 * the repetitions, since the machine is shared.
 * Arguments: [B] [n] [L] [b] [workers] [repetitions].
 */
public final class GradientTiming {
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 320;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int b = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int workers = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int reps = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        Blas blas = new JavaBlas();
        Random rnd = new Random(1);
        float[] kMat = Problems.flat(Problems.operator(rnd, n, n, 0.01));
        float[] x = new float[batch * n];
        float[] s = new float[batch * n];
        for (int i = 0; i < x.length; i++) {
            s[i] = (float) (0.5 * Math.sin(0.05 * i) + 0.05 * rnd.nextGaussian());
            x[i] = (float) ((Math.floor(s[i] * 8) + 0.5) / 8);
        }
        float[] grad = new float[n * n];
        double gemm = gemmSeconds(blas, Transpose.NO, Transpose.YES, batch, n, n, reps);
        double gemmNN = gemmSeconds(blas, Transpose.NO, Transpose.NO, batch, n, n, reps);
        double gemmTN = gemmSeconds(blas, Transpose.YES, Transpose.NO, n, n, batch, reps);
        System.err.printf("backend %s, B = %d, n = k = %d, L = %d, b = %d; one sgemm: rows * K^T (NT) %.2f ms, "
                        + "rows * K (NN) %.2f ms, gradient D^T * Y (TN) %.2f ms%n",
                blas.name(), batch, n, iterations, b, 1e3 * gemm, 1e3 * gemmNN, 1e3 * gemmTN);
        IntFunction<GradientMethod> full = per -> new FullBackprop(blas, n, n, per, iterations, 1f);
        IntFunction<GradientMethod> trunc = per -> new TruncatedBackprop(blas, n, n, per, iterations, b, 1f);
        for (String mode : new String[] {"full", "truncated"}) {
            IntFunction<GradientMethod> f = mode.equals("full") ? full : trunc;
            int gemms = mode.equals("full") ? 6 * iterations : 2 * iterations + 2 * b + 2;
            for (int w : new int[] {1, workers}) {
                try (GradientMethod m = w == 1 ? f.apply(batch) : ParallelGradient.of(w, batch, f)) {
                    m.setOperator(kMat);
                    m.lossAndGradient(x, s, batch, 1f / 16, grad); // warm-up
                    double sec = Double.POSITIVE_INFINITY; // the fastest step: the machine is shared
                    for (int r = 0; r < reps; r++) {
                        long t0 = System.nanoTime();
                        m.lossAndGradient(x, s, batch, 1f / 16, grad);
                        sec = Math.min(sec, (System.nanoTime() - t0) * 1e-9);
                    }
                    System.err.printf("%-9s W = %d: %.3f s per step, %.0f frames/s, %d gemm-equivalents, "
                            + "%.2f x %d raw NT gemms%n", mode, w, sec, batch / sec, gemms, sec / (gemms * gemm), gemms);
                }
            }
        }
    }

    /** Seconds of one sgemm C (m x n) = op(A) op(B) with inner dimension p, dense operands. */
    static double gemmSeconds(Blas blas, Transpose ta, Transpose tb, int m, int n, int p, int reps) {
        FloatBuffer a = blas.allocate(m * p);
        FloatBuffer b = blas.allocate(p * n);
        FloatBuffer c = blas.allocate(m * n);
        for (int i = 0; i < p * n; i++) {
            b.put(i, (float) Math.sin(i));
        }
        int lda = ta.transposed() ? m : p;
        int ldb = tb.transposed() ? p : n;
        int count = 20 * reps;
        for (int i = 0; i < count; i++) {
            blas.sgemm(ta, tb, m, n, p, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            blas.sgemm(ta, tb, m, n, p, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return best;
    }
}
