package dev.pdq.solver;

/**
 * What a stream needs of a solver: load a batch of frames with per-sample cells, run L iterations, read the primal
 * iterate back. {@link PrimalDual} is one (one batch, one BLAS); {@link FrameParallelSolver} splits the batch over
 * several PrimalDuals, each on a thread of its own.
 */
public interface BatchSolver extends AutoCloseable {

    /** n, the samples of a frame. */
    int frameLength();

    /** The most frames one {@link #load} takes. */
    int maxBatch();

    /** See {@link PrimalDual#load(float[], float[], float[], int, int, float)}. */
    void load(float[] values, float[] belowIn, float[] aboveIn, int off, int batch, float unit);

    /** Runs {@code iterations} iterations on the loaded batch. */
    void solve(int iterations);

    /** See {@link PrimalDual#readPrimal}. */
    void readPrimal(float[] dst, int off);

    /** Threads a batch is solved on: 1 for a {@link PrimalDual}. */
    default int threads() {
        return 1;
    }

    /** See {@link PrimalDual#setSilentFramesAreZero}. */
    void setSilentFramesAreZero(boolean on);

    /** Releases what the solver holds beyond memory (threads); a no-op for {@link PrimalDual}. */
    @Override
    default void close() {
    }
}
