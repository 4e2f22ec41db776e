package dev.pdq.stream;

/**
 * Fixed-size histogram of durations with log-spaced buckets (5% wide), so that a stream of any length records
 * latencies without allocating: percentiles come back within 5%.
 */
public final class LatencyHistogram {
    private static final double GROWTH = 1.05;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final int BUCKETS = 700; // 1.05^700 ns is far beyond any latency

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    public void record(long nanos) {
        long v = Math.max(1, nanos);
        int b = (int) Math.min(BUCKETS - 1, Math.floor(Math.log(v) / LOG_GROWTH));
        counts[b]++;
        total++;
        max = Math.max(max, v);
    }

    public long count() {
        return total;
    }

    /** The q-quantile (0 < q <= 1) in nanoseconds: the upper edge of the bucket holding it; 0 when empty. */
    public long quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(max, (long) Math.ceil(Math.pow(GROWTH, b + 1)));
            }
        }
        return max;
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }
}
