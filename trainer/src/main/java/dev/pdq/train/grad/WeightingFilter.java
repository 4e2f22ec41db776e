package dev.pdq.train.grad;

/**
 * The perceptual weighting filter of CELP speech coders, W(z) = G A(z/g1) / A(z/g2), for blocks of n samples, with
 * A(z) = 1 + sum_{i=1..p} a_i z^-i the linear predictor of the block's clean signal s:
 *
 * <pre>
 *   sw_t = s_t (0.54 - 0.46 cos(2 pi t / (n - 1)))                  Hamming window, t = 0..n-1
 *   R_i  = sum_t sw_t sw_{t+i},  i = 0..p;   R_0 *= 1 + 1e-4         white-noise correction (-40 dB)
 *   a    = the solution of sum_{j=1..p} a_j R_|i-j| = -R_i, i = 1..p (Levinson-Durbin; a = 0 when R_0 = 0)
 *   b_i  = a_i g1^i,  c_i = a_i g2^i,  b_0 = c_0 = 1                 A(z/g1), A(z/g2)
 *   h    = the first n samples of the impulse response of B(z) / C(z)
 *   G    = 1 / ||h||_2                                               W passes white noise at unit power
 * </pre>
 *
 * The zeros B(z) and poles C(z) follow the formants with widened bandwidths (g2 &lt; g1), so W is low at the formants
 * and high between them: an error weighted by W costs most where the speech is weakest, where a listener (and STOI's
 * band-normalized envelopes) would notice it, and least under the formants that mask it. The white-noise
 * correction keeps the normal equations positive definite, so C(z) is minimum phase and W stable; a silent block
 * gives W = identity.
 *
 * <p>Within a block W is causal and starts from rest: as a map it is the n x n lower-triangular Toeplitz matrix of
 * G h, applied in O(n p) by the recursion {@code u_t = G sum_{i=0..p} b_i e_{t-i} - sum_{i=1..p} c_i u_{t-i}}
 * (terms before the block are 0); its transpose is the same recursion run backwards in time (W^T = J W J, J the
 * reversal of the block, since W is Toeplitz). No n x n matrix is formed. Holds its coefficients and a window: not
 * thread-safe.
 */
final class WeightingFilter {
    /** g1, g2 of the classic CELP weighting (G.729 uses these as its fixed defaults, AMR 0.94 and 0.6). */
    static final double CLASSIC_G1 = 0.9;
    static final double CLASSIC_G2 = 0.6;
    /** R_0 is multiplied by 1 + this (white-noise correction at -40 dB). */
    static final double WHITE_NOISE_CORRECTION = 1e-4;

    private final int n;
    private final int order;
    private final double g1;
    private final double g2;
    private final double[] window;
    private final double[] windowed;
    private final double[] autocorrelation;
    /** a_0..a_p of the current block, and Levinson's copy of the previous order's. */
    private final double[] lpc;
    private final double[] previous;
    /** b_0..b_p and c_0..c_p of the current block. */
    private final double[] numerator;
    private final double[] denominator;
    private final double[] impulse;
    private double gain = 1;

    /**
     * @param order p, the predictor order (1 .. n-1)
     * @param g1    bandwidth expansion of the zeros, in (0, 1]
     * @param g2    bandwidth expansion of the poles, in [0, 1)
     */
    WeightingFilter(int n, int order, double g1, double g2) {
        if (n < 2 || order < 1 || order >= n) {
            throw new IllegalArgumentException("WeightingFilter: order " + order + " must be in 1.." + (n - 1)
                    + " (n = " + n + ")");
        }
        if (!(g1 > 0 && g1 <= 1) || !(g2 >= 0 && g2 < 1)) {
            throw new IllegalArgumentException("WeightingFilter: g1 = " + g1 + " must be in (0, 1], g2 = " + g2
                    + " in [0, 1)");
        }
        this.n = n;
        this.order = order;
        this.g1 = g1;
        this.g2 = g2;
        this.window = new double[n];
        for (int t = 0; t < n; t++) {
            window[t] = 0.54 - 0.46 * Math.cos(2 * Math.PI * t / (n - 1));
        }
        this.windowed = new double[n];
        this.autocorrelation = new double[order + 1];
        this.lpc = new double[order + 1];
        this.previous = new double[order + 1];
        this.numerator = new double[order + 1];
        this.denominator = new double[order + 1];
        this.impulse = new double[n];
    }

    int frameLength() {
        return n;
    }

    int order() {
        return order;
    }

    double g1() {
        return g1;
    }

    double g2() {
        return g2;
    }

    /** Bytes of workspace (doubles). */
    long workspaceBytes() {
        return 8L * (3 * n + 5 * (order + 1));
    }

    /**
     * Analyses the clean block {@code clean[off .. off+n)} (class comment): sets a, b, c and G. Modifies this
     * object only.
     */
    void analyse(float[] clean, int off) {
        for (int t = 0; t < n; t++) {
            windowed[t] = clean[off + t] * window[t];
        }
        for (int i = 0; i <= order; i++) {
            double r = 0;
            for (int t = i; t < n; t++) {
                r += windowed[t] * windowed[t - i];
            }
            autocorrelation[i] = r;
        }
        autocorrelation[0] *= 1 + WHITE_NOISE_CORRECTION;
        levinson();
        double p1 = 1;
        double p2 = 1;
        for (int i = 0; i <= order; i++) {
            numerator[i] = lpc[i] * p1;
            denominator[i] = lpc[i] * p2;
            p1 *= g1;
            p2 *= g2;
        }
        // h_t = b_t - sum_{i=1..p} c_i h_{t-i}  (b_t = 0 for t > p)
        double energy = 0;
        for (int t = 0; t < n; t++) {
            double h = t <= order ? numerator[t] : 0;
            for (int i = 1, reach = Math.min(order, t); i <= reach; i++) {
                h -= denominator[i] * impulse[t - i];
            }
            impulse[t] = h;
            energy += h * h;
        }
        gain = 1 / Math.sqrt(energy);
    }

    /**
     * Levinson-Durbin on R_0..R_p into a_0..a_p: a^(0) = 1, E_0 = R_0 and for m = 1..p
     * k_m = -(sum_{j=0..m-1} a_j R_{m-j}) / E_{m-1}, a_j += k_m a_{m-j} (j &lt; m), a_m = k_m,
     * E_m = (1 - k_m^2) E_{m-1}. A silent block (R_0 = 0) gives a = (1, 0, ..., 0); should rounding ever give
     * |k_m| &gt;= 1 the lower order is kept.
     */
    private void levinson() {
        java.util.Arrays.fill(lpc, 0);
        lpc[0] = 1;
        double err = autocorrelation[0];
        if (!(err > 0)) {
            return;
        }
        for (int m = 1; m <= order; m++) {
            double acc = 0;
            for (int j = 0; j < m; j++) {
                acc += lpc[j] * autocorrelation[m - j];
            }
            double k = -acc / err;
            if (!(Math.abs(k) < 1)) {
                return;
            }
            System.arraycopy(lpc, 0, previous, 0, m);
            for (int j = 1; j < m; j++) {
                lpc[j] = previous[j] + k * previous[m - j];
            }
            lpc[m] = k;
            err *= 1 - k * k;
        }
    }

    /**
     * out[outOff .. outOff+n) = W in[inOff .. inOff+n): {@code u_t = G sum_{i=0..p} b_i x_{t-i} - sum_{i=1..p}
     * c_i u_{t-i}} from rest (terms before the block are 0). in and out must not overlap (u_t would overwrite an x
     * still to be read). Modifies out.
     */
    void apply(double[] in, int inOff, double[] out, int outOff) {
        for (int t = 0; t < n; t++) {
            int reach = Math.min(order, t);
            double u = numerator[0] * in[inOff + t];
            for (int i = 1; i <= reach; i++) {
                u += numerator[i] * in[inOff + t - i];
            }
            u *= gain;
            for (int i = 1; i <= reach; i++) {
                u -= denominator[i] * out[outOff + t - i];
            }
            out[outOff + t] = u;
        }
    }

    /**
     * out[outOff .. outOff+n) = W^T in[inOff .. inOff+n): the recursion backwards in time,
     * {@code v_t = G sum_{i=0..p} b_i x_{t+i} - sum_{i=1..p} c_i v_{t+i}} (terms past the block are 0). in and out
     * must not overlap. Modifies out.
     */
    void applyTransposed(double[] in, int inOff, double[] out, int outOff) {
        for (int t = n - 1; t >= 0; t--) {
            int reach = Math.min(order, n - 1 - t);
            double v = numerator[0] * in[inOff + t];
            for (int i = 1; i <= reach; i++) {
                v += numerator[i] * in[inOff + t + i];
            }
            v *= gain;
            for (int i = 1; i <= reach; i++) {
                v -= denominator[i] * out[outOff + t + i];
            }
            out[outOff + t] = v;
        }
    }

    /** G of the current block. */
    double gain() {
        return gain;
    }

    /** a_i of the current block (i = 0..p). */
    double lpc(int i) {
        return lpc[i];
    }
}
