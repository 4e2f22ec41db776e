package dev.pdq.quality;

/**
 * In-place complex FFT of a fixed power-of-two size (iterative radix-2, decimation in time), in double:
 *
 * <pre>
 *   X_k = sum_{t=0}^{N-1} x_t exp(-2 pi i k t / N),   k = 0..N-1
 * </pre>
 *
 * Twiddle factors are computed once per instance; an instance is immutable and can be shared between threads.
 */
final class Fft {
    private final int size;
    private final double[] cos;
    private final double[] sin;
    private final int[] bitReversed;

    Fft(int size) {
        if (size < 2 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("FFT size " + size + " is not a power of two of at least 2");
        }
        this.size = size;
        cos = new double[size / 2];
        sin = new double[size / 2];
        for (int k = 0; k < size / 2; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / size);
            sin[k] = -Math.sin(2 * Math.PI * k / size);
        }
        bitReversed = new int[size];
        int bits = Integer.numberOfTrailingZeros(size);
        for (int i = 0; i < size; i++) {
            bitReversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
    }

    int size() {
        return size;
    }

    /** Replaces (re, im), each of {@link #size()} values, by its DFT X (see the class comment). */
    void transform(double[] re, double[] im) {
        for (int i = 0; i < size; i++) {
            int j = bitReversed[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= size; len <<= 1) {
            int halfLen = len >> 1;
            int stride = size / len;
            for (int start = 0; start < size; start += len) {
                for (int k = 0; k < halfLen; k++) {
                    double wr = cos[k * stride];
                    double wi = sin[k * stride];
                    int a = start + k;
                    int b = a + halfLen;
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
