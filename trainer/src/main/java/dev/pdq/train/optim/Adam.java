package dev.pdq.train.optim;

import java.util.Arrays;

/**
 * Adam (Kingma and Ba, Algorithm 1) on a float parameter vector, with its moments kept in double:
 *
 * <pre>
 *   t = t + 1
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 *
 * The step is computed in double and rounded to float once per parameter. Deterministic: the same state, gradient
 * and rate give the same parameters bit for bit. Not thread-safe.
 */
public final class Adam {
    public static final double PAPER_BETA1 = 0.9;
    public static final double PAPER_BETA2 = 0.999;
    public static final double PAPER_EPSILON = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[] m;
    private final double[] v;
    private long t;

    /** Adam with beta1 = 0.9, beta2 = 0.999, eps = 1e-8 for {@code size} parameters, moments zero, t = 0. */
    public Adam(int size) {
        this(size, PAPER_BETA1, PAPER_BETA2, PAPER_EPSILON);
    }

    public Adam(int size, double beta1, double beta2, double epsilon) {
        if (size < 1) {
            throw new IllegalArgumentException("Adam: size = " + size + " must be at least 1");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: beta1 = " + beta1 + ", beta2 = " + beta2 + " must be in [0, 1)");
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("Adam: epsilon = " + epsilon + " must be positive and finite");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new double[size];
        this.v = new double[size];
    }

    /**
     * One Adam step: updates the moments and {@code params[0..size)} from {@code grad[0..size)} at learning rate
     * {@code lr}. Modifies params and this object's state.
     *
     * @throws NonFiniteException if the gradient holds a NaN or an infinity (nothing is modified then)
     */
    public void step(float[] params, float[] grad, double lr) {
        int size = m.length;
        if (params.length < size || grad.length < size) {
            throw new IllegalArgumentException("Adam.step: params has " + params.length + " and grad "
                    + grad.length + " values, need " + size);
        }
        for (int i = 0; i < size; i++) {
            if (!Float.isFinite(grad[i])) {
                throw new NonFiniteException("gradient element " + i + " is " + grad[i]);
            }
        }
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < size; i++) {
            double g = grad[i];
            double mi = beta1 * m[i] + (1 - beta1) * g;
            double vi = beta2 * v[i] + (1 - beta2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] = (float) (params[i] - lr * (mi / c1) / (Math.sqrt(vi / c2) + epsilon));
        }
    }

    /** Number of steps taken, t. */
    public long steps() {
        return t;
    }

    public int size() {
        return m.length;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    /** A copy of the first moment m. */
    public double[] firstMoment() {
        return m.clone();
    }

    /** A copy of the second moment v. */
    public double[] secondMoment() {
        return v.clone();
    }

    /** Restores a saved state (moments copied). Modifies this object. */
    public void restore(double[] firstMoment, double[] secondMoment, long steps) {
        if (firstMoment.length != m.length || secondMoment.length != v.length) {
            throw new IllegalArgumentException("Adam.restore: moments have " + firstMoment.length + " and "
                    + secondMoment.length + " values, need " + m.length);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("Adam.restore: steps = " + steps + " is negative");
        }
        System.arraycopy(firstMoment, 0, m, 0, m.length);
        System.arraycopy(secondMoment, 0, v, 0, v.length);
        t = steps;
    }

    /** Whether two optimizers hold the same state bit for bit. */
    public boolean sameState(Adam other) {
        return t == other.t && Arrays.equals(m, other.m) && Arrays.equals(v, other.v);
    }

    /** A gradient value that is NaN or infinite. */
    public static final class NonFiniteException extends ArithmeticException {
        public NonFiniteException(String message) {
            super(message);
        }
    }
}
