package dev.pdq.stream;

/**
 * How a stream is dequantized, checked once: the closed set of settings errors is this constructor's
 * {@link IllegalArgumentException}s, each naming the setting and its range.
 *
 * @param channels   interleaved channels, each dequantized on its own (1..{@link #MAX_CHANNELS})
 * @param shifts     S, shifted frame grids averaged: 1, 2, 4 or 8 (and dividing the model's n)
 * @param batch      B, frames solved together (1..{@link #MAX_BATCH}); 1 gives the lowest latency
 * @param iterations L, primal-dual iterations a frame (0..{@link #MAX_ITERATIONS}; 0 passes the input through)
 * @param silentZero frames whose every cell holds 0 come out as 0, the exact solution
 *                   ({@link dev.pdq.solver.PrimalDual#isSilent})
 * @param quietFallback on the fixed grid, a frame of a stream that has stayed within the two middle levels for a
 *                   second (and stays so to the frame's end) comes out as 0 instead of the model's solution
 *                   ({@link StreamDequantizer})
 * @param workers    threads that solve a batch's frames, each its share (1..{@link #MAX_WORKERS}; 1: the caller's
 *                   thread alone). With more than one, give the dequantizer a single-threaded BLAS: the frames
 *                   take the place of the library's threads ({@link dev.pdq.solver.FrameParallelSolver})
 */
public record DequantizerSettings(int channels, int shifts, int batch, int iterations, boolean silentZero,
                                  boolean quietFallback, int workers) {
    public static final int MAX_CHANNELS = 64;
    public static final int MAX_BATCH = 4096;
    public static final int MAX_ITERATIONS = 1_000_000;
    public static final int MAX_WORKERS = 256;

    /** pdq dequantize's defaults: the quiet fallback on, silent frames iterated as any other. */
    public static DequantizerSettings defaults(int channels, int shifts, int batch, int iterations) {
        return new DequantizerSettings(channels, shifts, batch, iterations, false, true, 1);
    }

    /** Solved on the caller's thread alone. */
    public DequantizerSettings(int channels, int shifts, int batch, int iterations, boolean silentZero,
                               boolean quietFallback) {
        this(channels, shifts, batch, iterations, silentZero, quietFallback, 1);
    }

    /** With every frame iterated L times (no silent-frame shortcut, no quiet fallback). */
    public DequantizerSettings(int channels, int shifts, int batch, int iterations) {
        this(channels, shifts, batch, iterations, false, false, 1);
    }

    public DequantizerSettings {
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels " + channels + " is not in 1.." + MAX_CHANNELS);
        }
        if (shifts != 1 && shifts != 2 && shifts != 4 && shifts != 8) {
            throw new IllegalArgumentException("shifts " + shifts + " must be 1, 2, 4 or 8");
        }
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("batch " + batch + " is not in 1.." + MAX_BATCH);
        }
        if (iterations < 0 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations " + iterations + " is not in 0.." + MAX_ITERATIONS);
        }
        checkWorkers(workers);
    }

    /** @throws IllegalArgumentException naming {@code workers} unless it is in 1..{@link #MAX_WORKERS} */
    public static int checkWorkers(int workers) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("solver threads " + workers + " is not in 1.." + MAX_WORKERS);
        }
        return workers;
    }

    /** These settings with {@code n} solver threads. */
    public DequantizerSettings withWorkers(int n) {
        return new DequantizerSettings(channels, shifts, batch, iterations, silentZero, quietFallback, n);
    }
}
