package dev.pdq.train.grad;

/**
 * The plain loss l = 0.5 ||e||^2, e = y^L - s, whose gradient is e itself: the loss of the paper and of the golden
 * vectors in ../shared/vectors. Holds no workspace (its {@link #addLossAndGradient} leaves the error as it is).
 */
public final class SquaredError implements Loss {
    private final int n;

    /** @param n samples of a block */
    public SquaredError(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("SquaredError: n = " + n + " must be at least 1");
        }
        this.n = n;
    }

    @Override
    public int frameLength() {
        return n;
    }

    /** sum + sum_t 0.5 e_t^2 (added in t order); dl/de = e, so error is not modified. */
    @Override
    public double addLossAndGradient(double sum, double[] error, int off, float[] clean, int cleanOff, int blocks) {
        for (int i = off, end = off + blocks * n; i < end; i++) {
            double d = error[i];
            sum += 0.5 * d * d;
        }
        return sum;
    }

    @Override
    public String describe() {
        return "0.5||y^L - s||^2";
    }
}
