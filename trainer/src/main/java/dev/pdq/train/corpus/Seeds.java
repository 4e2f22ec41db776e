package dev.pdq.train.corpus;

/**
 * Seeds of the independent random streams of a run, derived from the run's seed and the stream's coordinates, so
 * that any epoch's shuffle or gains can be recomputed from scratch (a resumed run needs no generator state).
 */
public final class Seeds {
    /** Stream tags. */
    public static final long SHUFFLE = 0x5348_5546L;
    public static final long GAIN = 0x4741_494eL;
    public static final long SPLIT = 0x5350_4c54L;
    public static final long SHIFT = 0x5348_4654L;

    private Seeds() {
    }

    /** A well-mixed 64-bit seed from the given values (SplitMix64's finalizer folded over them). */
    public static long mix(long... values) {
        long h = 0x9E37_79B9_7F4A_7C15L;
        for (long v : values) {
            h = finalize(h ^ finalize(v + 0x9E37_79B9_7F4A_7C15L));
        }
        return h;
    }

    private static long finalize(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
