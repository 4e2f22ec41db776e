package dev.pdq.train.eval;

import dev.pdq.stream.FrameGrid;
/**
 * The frame grid of the runtime's {@link dev.pdq.stream.StreamDequantizer}, offline, for a whole signal of length
 * T: S grids, grid g starting at -g*n/S, frames every n samples while they start before T; samples outside the
 * signal mirrored about its first and last sample; each output sample the mean of the S frame solutions covering
 * it, clamped to its cell (for S = 1 the frame solution itself). The optimality inference and the iteration curve
 * need this because they control the iterations per batch themselves; the classical rows run the runtime's
 * streaming dequantizer directly ({@link StreamInference}), and a test checks that both agree.
 */
public final class Framing {
    private final int n;
    private final int shifts;

    public Framing(int n, int shifts) {
        if (n < 1 || shifts < 1 || n % shifts != 0) {
            throw new IllegalArgumentException("framing: shifts = " + shifts + " must be >= 1 and divide n = " + n);
        }
        this.n = n;
        this.shifts = shifts;
    }

    public int frameLength() {
        return n;
    }

    public int shifts() {
        return shifts;
    }

    /** Start positions of every frame of a signal of this length, grid by grid (may be negative). */
    public long[] starts(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("framing: a signal of " + length + " samples");
        }
        int count = 0;
        for (int g = 0; g < shifts; g++) {
            count += framesOfGrid(g, length);
        }
        long[] out = new long[count];
        int i = 0;
        for (int g = 0; g < shifts; g++) {
            for (long s = FrameGrid.firstStart(g, n, shifts); s < length; s += n) {
                out[i++] = s;
            }
        }
        return out;
    }

    private int framesOfGrid(int g, int length) {
        long offset = (long) g * (n / shifts);
        return (int) ((length + offset + n - 1) / n);
    }

    /** dst[off + i] = signal[mirror(start + i)] for i < n: the frame starting at {@code start}. Modifies dst. */
    public void extract(float[] signal, long start, float[] dst, int off) {
        int length = signal.length;
        for (int i = 0; i < n; i++) {
            dst[off + i] = signal[FrameGrid.mirror(start + i, length)];
        }
    }

    /** Adds the in-signal part of a frame solution {@code y[off..off+n)} starting at {@code start} to sum. */
    public void accumulate(float[] sum, long start, float[] y, int off) {
        long from = Math.max(0, start);
        long to = Math.min(start + n, sum.length);
        for (long t = from; t < to; t++) {
            sum[(int) t] += y[off + (int) (t - start)];
        }
    }

    /**
     * Turns the sums of the S frame solutions into the output, in place: for S > 1 each sample becomes
     * clamp(sum / S, x + below, x + above), computed in float exactly as the streaming dequantizer does; for S = 1
     * the sum is the solution already. Modifies sum.
     */
    public void finish(float[] sum, float[] x, float[] below, float[] above) {
        if (shifts == 1) {
            return;
        }
        float inv = 1f / shifts;
        for (int t = 0; t < sum.length; t++) {
            float xi = x[t];
            sum[t] = FrameGrid.clampedMean(sum[t], inv, xi, below[t], above[t]);
        }
    }

    /** The position of the signal's sample standing at t ({@link FrameGrid#mirror}). */
    static int mirror(long t, int length) {
        return FrameGrid.mirror(t, length);
    }
}
