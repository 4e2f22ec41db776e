package dev.pdq.stream;

/**
 * Counts input samples that are not on the quantization grid of the stream's bit depth. Such samples are still
 * dequantized (their cell is centered on the sample as given); the count is reported once at the end.
 */
public final class OffGridCounter {
    /** Tolerance in steps: 16-bit PCM carries grid values of up to 15 bits exactly, f32 input is exact. */
    private static final double TOLERANCE = 1e-3;
    private final double levels;
    private final double halfStep;
    private long count;

    /** @param bits quantizer bit depth, 1..16 */
    public OffGridCounter(int bits) {
        this.levels = 1 << bits;
        this.halfStep = 1.0 / levels;
    }

    /** Counts v if it is not -1 + step*(c + 1/2) for an integer code c in [0, 2^bits). */
    public void check(float v) {
        double c = (v + 1.0) / (2 * halfStep) - 0.5;
        double nearest = Math.rint(c);
        if (!(Math.abs(c - nearest) <= TOLERANCE) || nearest < 0 || nearest >= levels) {
            count++;
        }
    }

    public long count() {
        return count;
    }

    public void reset() {
        count = 0;
    }
}
