package dev.pdq.quality;

/**
 * Power spectrum of a real signal of N values (N a power of two, at least 4), by one complex FFT of N/2 points
 * (iterative radix-2, decimation in time) on z_m = x_2m + i x_2m+1, in double:
 *
 * <pre>
 *   Z     = DFT_{N/2}(z),   E_k = (Z_k + conj Z_{N/2-k}) / 2,   O_k = (Z_k - conj Z_{N/2-k}) / (2i)   (indices mod N/2)
 *   X_k   = E_k + exp(-2 pi i k / N) O_k  = sum_{t=0}^{N-1} x_t exp(-2 pi i k t / N),   k = 0..N/2
 *   P_k   = |X_k|^2
 * </pre>
 *
 * Holds its work arrays: one instance per thread.
 */
final class RealFft {
    private final int half;
    private final double[] cos;      // exp(-2 pi i j / (N/2)), j < N/4
    private final double[] sin;
    private final double[] cosN;     // exp(-2 pi i k / N), k <= N/2
    private final double[] sinN;
    private final int[] bitReversed;
    private final double[] re;
    private final double[] im;

    RealFft(int size) {
        if (size < 4 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("FFT size " + size + " is not a power of two of at least 4");
        }
        half = size / 2;
        cos = new double[half / 2];
        sin = new double[half / 2];
        for (int j = 0; j < half / 2; j++) {
            cos[j] = Math.cos(2 * Math.PI * j / half);
            sin[j] = -Math.sin(2 * Math.PI * j / half);
        }
        cosN = new double[half + 1];
        sinN = new double[half + 1];
        for (int k = 0; k <= half; k++) {
            cosN[k] = Math.cos(2 * Math.PI * k / size);
            sinN[k] = -Math.sin(2 * Math.PI * k / size);
        }
        bitReversed = new int[half];
        int bits = Integer.numberOfTrailingZeros(half);
        for (int i = 0; i < half; i++) {
            bitReversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        re = new double[half];
        im = new double[half];
    }

    /**
     * power[k] = |X_k|^2 for k = 0..N/2 of x[off..off+len) zero-padded to N values (len at most N); x is not
     * modified, power must hold N/2 + 1 values.
     */
    void powerSpectrum(double[] x, int off, int len, double[] power) {
        for (int m = 0; m < half; m++) {
            int t = 2 * m;
            re[bitReversed[m]] = t < len ? x[off + t] : 0;
            im[bitReversed[m]] = t + 1 < len ? x[off + t + 1] : 0;
        }
        transformBitReversed();
        for (int k = 0; k <= half; k++) {
            int a = k % half;
            int b = (half - k) % half;
            double er = (re[a] + re[b]) / 2;
            double ei = (im[a] - im[b]) / 2;
            double or = (im[a] + im[b]) / 2;
            double oi = -(re[a] - re[b]) / 2;
            double xr = er + cosN[k] * or - sinN[k] * oi;
            double xi = ei + cosN[k] * oi + sinN[k] * or;
            power[k] = xr * xr + xi * xi;
        }
    }

    /** In-place DFT of (re, im) whose values were stored at bit-reversed positions. */
    private void transformBitReversed() {
        for (int len = 2; len <= half; len <<= 1) {
            int h = len >> 1;
            int stride = half / len;
            for (int start = 0; start < half; start += len) {
                for (int k = 0; k < h; k++) {
                    double wr = cos[k * stride];
                    double wi = sin[k * stride];
                    int a = start + k;
                    int b = a + h;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
