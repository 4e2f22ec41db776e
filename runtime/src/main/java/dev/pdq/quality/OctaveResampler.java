package dev.pdq.quality;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rational resampling by up/down with Octave's resample() filter, as pystoi's {@code resample_oct} does it
 * (its {@code _resample_window_oct} filter through SciPy's {@code resample_poly}), computed in double.
 *
 * <pre>
 *   up/down reduced by their gcd;  f_c = 1 / (2 max(up, down));  half = ceil(52 / (28.714 f_c / 10))
 *   h_j     = kaiser_j(2 half + 1, beta = 0.1102 (60 - 8.7)) * 2 up f_c sinc(2 f_c (j - half)),   j = 0..2 half
 *   w_j     = up * h_j / sum h          (a 60 dB low-pass at the lower of the two Nyquist rates, gain up)
 *   y_k     = sum_i x_i w_(k down - i up + half),   k = 0 .. ceil(n up / down) - 1,  x_i = 0 outside [0, n)
 * </pre>
 *
 * i.e. x upsampled by zero insertion, filtered by w centred on its middle tap, and decimated: SciPy's upfirdn with
 * the output aligned as resample_poly aligns it. kaiser_j(M, beta) = I0(beta sqrt(1 - (2j/(M-1) - 1)^2)) / I0(beta).
 * Filters are made once per (up, down) and kept; thread-safe. Their length grows with max(up, down): 581 taps
 * from 16 kHz to 10 kHz, 31947 from 44.1 kHz; rates that share only a small factor with the other need millions,
 * and filters over {@link #MAX_TAPS} taps are refused.
 */
final class OctaveResampler {
    /** The longest filter made (16 MiB of doubles). */
    static final int MAX_TAPS = 1 << 21;
    private static final Map<Long, OctaveResampler> CACHE = new ConcurrentHashMap<>();

    private final int up;
    private final int down;
    private final int half;
    /**
     * The polyphase branches, reversed: phases[r][t] = w_(r + up (len_r - 1 - t)), len_r = phases[r].length, the
     * taps that meet input samples when the filter index is r mod up, in the order of the samples they meet.
     */
    private final double[][] phases;

    private OctaveResampler(int up, int down) {
        this.up = up;
        this.down = down;
        double cutoff = 1.0 / (2.0 * Math.max(up, down));
        double rollOff = cutoff / 10;
        double rejectionDb = 60;
        double halfLength = Math.ceil((rejectionDb - 8) / (28.714 * rollOff));
        if (2 * halfLength + 1 > MAX_TAPS) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "resampling by %d/%d would need"
                    + " a filter of %.0f taps, more than %d", up, down, 2 * halfLength + 1, MAX_TAPS));
        }
        half = (int) halfLength;
        double beta = 0.1102 * (rejectionDb - 8.7);
        int taps = 2 * half + 1;
        double[] h = new double[taps];
        double sum = 0;
        double i0Beta = besselI0(beta);
        for (int j = 0; j < taps; j++) {
            double r = (j - half) / (double) half;
            double kaiser = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
            h[j] = kaiser * 2 * up * cutoff * sinc(2 * cutoff * (j - half));
            sum += h[j];
        }
        phases = new double[up][];
        for (int r = 0; r < up; r++) {
            double[] p = new double[(taps - 1 - r) / up + 1];
            for (int m = 0; m < p.length; m++) {
                p[p.length - 1 - m] = h[r + up * m] / sum * up;
            }
            phases[r] = p;
        }
    }

    /** The resampler from rate {@code from} to rate {@code to} (Hz, positive). */
    static OctaveResampler of(int from, int to) {
        if (from <= 0 || to <= 0) {
            throw new IllegalArgumentException("sample rates " + from + " and " + to + " must be positive");
        }
        int g = gcd(from, to);
        int up = to / g;
        int down = from / g;
        return CACHE.computeIfAbsent(((long) up << 32) | down, k -> new OctaveResampler(up, down));
    }

    /** y = resample(x) per the class comment: a new array of ceil(n up / down) samples; x is not modified. */
    double[] resample(double[] x) {
        if (up == down) {
            return x.clone();
        }
        int n = x.length;
        int outLength = (int) (((long) n * up + down - 1) / down);
        double[] y = new double[outLength];
        for (int k = 0; k < outLength; k++) {
            long centre = (long) k * down + half;  // filter index of input sample i is centre - i up
            int r = (int) (centre % up);
            double[] p = phases[r];
            int first = (int) (centre / up) - (p.length - 1);  // the input sample that meets p[0]
            int t = Math.max(0, -first);
            int end = Math.min(p.length, n - first);
            double a0 = 0;  // four sums: independent additions run in parallel
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            for (; t + 3 < end; t += 4) {
                a0 += p[t] * x[first + t];
                a1 += p[t + 1] * x[first + t + 1];
                a2 += p[t + 2] * x[first + t + 2];
                a3 += p[t + 3] * x[first + t + 3];
            }
            for (; t < end; t++) {
                a0 += p[t] * x[first + t];
            }
            y[k] = (a0 + a1) + (a2 + a3);
        }
        return y;
    }

    /** sin(pi x) / (pi x), 1 at 0 (NumPy's sinc). */
    static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** The modified Bessel function I0(x) = sum_k ((x/2)^2)^k / (k!)^2, summed until terms stop counting. */
    static double besselI0(double x) {
        double q = x * x / 4;
        double term = 1;
        double sum = 1;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
