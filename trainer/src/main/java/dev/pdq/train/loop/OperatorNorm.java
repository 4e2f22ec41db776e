package dev.pdq.train.loop;

import dev.pdq.solver.PrimalDual;

/**
 * ||K||_2 tracked over training by power iteration on K^T K in double, warm-started from the last estimate's right
 * singular vector, and the step sizes from it (as {@link PrimalDual#updateNorm} computes them):
 * sigma = sqrt(ratio) * 0.99/||K||, tau = 0.99/(sqrt(ratio) * ||K||).
 *
 * <p>The trainer sets these steps on its gradient workers instead of the ones their solvers estimate, because the
 * warm-start vector is part of the state a checkpoint saves: a resumed run then computes the same steps, bit for
 * bit, as one that was never interrupted.
 */
public final class OperatorNorm {
    /** Relative change of the estimate at which the iteration stops. */
    public static final double REL_TOL = 1e-7;
    public static final int MAX_ITERATIONS = 10_000;

    private final int k;
    private final int n;
    private final double[] v;
    private final double[] u;
    private double norm = Double.NaN;

    /** Starts from a fixed vector with every component non-zero. */
    public OperatorNorm(int k, int n) {
        this.k = k;
        this.n = n;
        this.v = new double[n];
        this.u = new double[k];
        for (int i = 0; i < n; i++) {
            v[i] = 1.0 + 0.5 * Math.sin(1.3 * i + 0.7);
        }
        normalize(v);
    }

    /** Re-estimates ||K|| (K k x n row-major) from the current vector; returns it. Modifies the vector. */
    public double update(float[] kMat) {
        double estimate = 0;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            for (int i = 0; i < k; i++) {
                double s = 0;
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    s += kMat[row + j] * v[j];
                }
                u[i] = s;
            }
            java.util.Arrays.fill(v, 0);
            for (int i = 0; i < k; i++) {
                double ui = u[i];
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    v[j] += kMat[row + j] * ui;
                }
            }
            double next = Math.sqrt(normalize(v)); // ||K^T K v|| -> sigma_max^2
            if (!(next > 0) || !Double.isFinite(next)) {
                throw new ArithmeticException("||K|| estimate is " + next);
            }
            boolean done = it > 0 && Math.abs(next - estimate) <= REL_TOL * next;
            estimate = next;
            if (done) {
                break;
            }
        }
        norm = estimate;
        return norm;
    }

    public double norm() {
        return norm;
    }

    /** sigma for the last estimate, as a float (what the solver uses). */
    public float sigma(double stepRatio) {
        return (float) (Math.sqrt(stepRatio) * PrimalDual.SAFETY / norm);
    }

    /** tau for the last estimate, as a float. */
    public float tau(double stepRatio) {
        return (float) (PrimalDual.SAFETY / (Math.sqrt(stepRatio) * norm));
    }

    /** A copy of the warm-start vector (for checkpoints). */
    public double[] vector() {
        return v.clone();
    }

    /** Restores the warm-start vector. */
    public void restore(double[] vector) {
        if (vector.length != n) {
            throw new IllegalArgumentException("norm vector has " + vector.length + " values, needs " + n);
        }
        System.arraycopy(vector, 0, v, 0, n);
    }

    private static double normalize(double[] x) {
        double s = 0;
        for (double e : x) {
            s += e * e;
        }
        double nrm = Math.sqrt(s);
        if (nrm > 0 && Double.isFinite(nrm)) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= nrm;
            }
        }
        return nrm;
    }
}
