package dev.pdq.train.loop;

import dev.pdq.solver.SpectralNorm;
import dev.pdq.solver.StepSizes;

/**
 * ||K||_2 tracked over training ({@link SpectralNorm}, warm-started from the last estimate) and the step sizes from
 * it ({@link StepSizes}).
 *
 * <p>The trainer sets these steps on its gradient workers instead of having their solvers estimate them, because the
 * warm-start vector is part of the state a checkpoint saves: a resumed run then computes the same steps, bit for
 * bit, as one that was never interrupted.
 */
public final class OperatorNorm {
    private final SpectralNorm estimator;
    private double norm = Double.NaN;

    public OperatorNorm(int k, int n) {
        this.estimator = new SpectralNorm(k, n);
    }

    /** Re-estimates ||K|| (K k x n row-major); returns it. Modifies the warm-start vector. */
    public double update(float[] kMat) {
        double next = estimator.estimate(kMat, 0, SpectralNorm.REL_TOL, SpectralNorm.MAX_ITERATIONS);
        if (!(next > 0) || !Double.isFinite(next)) {
            throw new ArithmeticException("||K|| estimate is " + next);
        }
        norm = next;
        return norm;
    }

    public double norm() {
        return norm;
    }

    /** sigma for the last estimate, as the solver uses it. */
    public float sigma(double stepRatio) {
        return StepSizes.sigma(norm, stepRatio);
    }

    /** tau for the last estimate. */
    public float tau(double stepRatio) {
        return StepSizes.tau(norm, stepRatio);
    }

    /** A copy of the warm-start vector (for checkpoints). */
    public double[] vector() {
        return estimator.vector();
    }

    /** Restores the warm-start vector. */
    public void restore(double[] vector) {
        estimator.restore(vector);
    }
}
