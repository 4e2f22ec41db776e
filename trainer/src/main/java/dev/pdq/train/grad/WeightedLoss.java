package dev.pdq.train.grad;

import java.util.Locale;

/**
 * A perceptual loss: the squared error weighted by the CELP weighting filter W of each block's clean signal
 * ({@link WeightingFilter}: W(z) = G A(z/g1) / A(z/g2), unit power on white noise), mixed with the plain squared
 * error by a weight w in [0, 1]:
 *
 * <pre>
 *   l     = sum over the blocks of  (1 - w) 0.5 ||e||^2 + w 0.5 ||W e||^2        e = y - s on the block
 *   dl/dy = (1 - w) e + w W^T (W e)
 * </pre>
 *
 * W depends on s only (never on K), so this gradient is exact. Because W has unit power on white noise, both terms
 * are on the scale of the MSE: w = 0 is the squared error, w = 1 the weighted error alone; a mix keeps the plain
 * term's pull on the total error (and so on the SNR). Cost per block O(n p) (analysis, W, W^T), no n x n matrix.
 * Not thread-safe (the filter and two blocks of workspace).
 */
public final class WeightedLoss implements Loss {
    private final int n;
    private final double weight;
    private final WeightingFilter filter;
    private final double[] weighted;
    private final double[] back;

    /**
     * @param order  LPC order p (1 .. n-1)
     * @param g1     bandwidth expansion of the filter's zeros (the classic 0.9)
     * @param g2     bandwidth expansion of its poles (the classic 0.6)
     * @param weight w in [0, 1], the weighted term's share
     */
    public WeightedLoss(int n, int order, double g1, double g2, double weight) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("WeightedLoss: weight " + weight + " must be in [0, 1]");
        }
        this.n = n;
        this.weight = weight;
        this.filter = new WeightingFilter(n, order, g1, g2);
        this.weighted = new double[n];
        this.back = new double[n];
    }

    /** The classic filter (g1 = 0.9, g2 = 0.6) of order {@link #lpcOrder(int)} for frames of n samples at this rate. */
    public static WeightedLoss classic(int n, int sampleRate, double weight) {
        return new WeightedLoss(n, Math.min(lpcOrder(sampleRate), n - 1), WeightingFilter.CLASSIC_G1,
                WeightingFilter.CLASSIC_G2, weight);
    }

    /** The LPC order: 8 up to 8 kHz, 10 above (CELP's narrowband order, enough poles for the formants below 8 kHz). */
    public static int lpcOrder(int sampleRate) {
        return sampleRate <= 8000 ? 8 : 10;
    }

    public double weight() {
        return weight;
    }

    @Override
    public int frameLength() {
        return n;
    }

    @Override
    public long workspaceBytes() {
        return filter.workspaceBytes() + 8L * (weighted.length + back.length);
    }

    /**
     * Per block: W from the clean block, u = W e, v = W^T u; sum += (1 - w) 0.5 e_t^2 + w 0.5 u_t^2 (t order),
     * error_t = (1 - w) e_t + w v_t. Modifies error and the workspace.
     */
    @Override
    public double addLossAndGradient(double sum, double[] error, int off, float[] clean, int cleanOff, int blocks) {
        double plain = 1 - weight;
        for (int b = 0; b < blocks; b++) {
            int row = off + b * n;
            filter.analyse(clean, cleanOff + b * n);
            filter.apply(error, row, weighted, 0);
            filter.applyTransposed(weighted, 0, back, 0);
            for (int t = 0; t < n; t++) {
                double e = error[row + t];
                double u = weighted[t];
                sum += plain * 0.5 * e * e + weight * 0.5 * u * u;
                error[row + t] = plain * e + weight * back[t];
            }
        }
        return sum;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%s * 0.5||y^L - s||^2 + %s * 0.5||W (y^L - s)||^2 (W(z) = G A(z/%s) /"
                        + " A(z/%s), the CELP weighting filter of each clean frame, LPC order %d, G for unit power on"
                        + " white noise)", 1 - weight, weight, filter.g1(), filter.g2(), filter.order());
    }
}
