package dev.pdq.stream;

/**
 * The frame grid the runtime cuts a stream on, the rule that training, evaluation and the stream share: S grids of
 * frames of n samples, grid g's frames starting at -g n/S + j n (j = 0, 1, ...), while they start before the end;
 * positions outside the signal stand for the signal mirrored about its first and last sample (t = -1 is sample 1,
 * t = T is sample T - 2); every output sample is the mean of the S frame solutions covering it, clamped to its cell.
 */
public final class FrameGrid {
    private FrameGrid() {
    }

    /** Where grid g's first frame starts: -g n/S (n divisible by S). */
    public static long firstStart(int grid, int n, int shifts) {
        return -(long) grid * (n / shifts);
    }

    /**
     * The position of the signal's sample standing at t in a signal of {@code length} samples: mirrored about the
     * first and last sample, periodically (period 2 (length - 1)), so any t maps into [0, length).
     */
    public static int mirror(long t, int length) {
        if (length == 1) {
            return 0;
        }
        long period = 2L * (length - 1);
        long m = Math.floorMod(t, period);
        return (int) (m < length ? m : period - m);
    }

    /** The mean of S frame solutions (their sum given) clamped to the cell [x + below, x + above], in float. */
    public static float clampedMean(float sum, float inverseShifts, float x, float below, float above) {
        return Math.max(x + below, Math.min(x + above, sum * inverseShifts));
    }
}
