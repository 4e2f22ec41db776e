package dev.pdq.train.loop;

/**
 * The loss and summed gradient of one training step's frames, wherever the frames live: in this process
 * ({@link LocalStepGradient}) or spread over the executors of a cluster ({@code dev.pdq.train.spark}). The
 * {@link Trainer} owns everything else (visiting order, gains, schedule, ||K||, Adam, validation, checkpoints), so
 * every engine trains the same way.
 *
 * <p>A step takes the examples {@code order[from .. from+size)} of the epoch's visiting order (frames, or segments
 * with the shifted frames covering them: {@link dev.pdq.train.corpus.TrainingExamples}), each scaled by its
 * utterance's gain of the epoch, cut from the epoch's shifted grid where the augmentation is on, and quantized. Loss
 * and gradient are those of {@link dev.pdq.train.grad.GradientMethod}: the run's {@link dev.pdq.train.grad.Loss}
 * summed over the frames (0.5 * sum ||y^L - s||^2 for the squared error; or through the shifted grids' average) and
 * dl/dK (k x n, row-major) at fixed sigma and tau.
 */
public interface StepGradient extends AutoCloseable {

    /** Training examples: the visiting order is a permutation of 0 .. exampleCount - 1. */
    int exampleCount();

    /** Training utterances: the gains and grid offsets of an epoch are indexed by utterance. */
    int utterances();

    /** Solver frames one example takes in a batch: 1 for plain frames. */
    default int framesPerExample() {
        return 1;
    }

    /** Frames of clean signal one example's loss covers (the batch loss is a mean over these): 1 for plain frames. */
    default int lossFramesPerExample() {
        return 1;
    }

    /** The epoch's grid offsets per utterance for the shifted-grid augmentation (see {@link
     * dev.pdq.train.corpus.FrameSet#shifts}). */
    int[] shifts(long seed, int epoch);

    /**
     * The corpus of every example (0-based indices), for balanced sampling, or null where this engine does not
     * know it on the driver.
     */
    default int[] corpusOfExamples() {
        return null;
    }

    /** n, the frame length (columns of K). */
    int frameLength();

    /** k, the number of analysis coefficients (rows of K). */
    int coefficients();

    /** L, the number of forward iterations. */
    int iterations();

    /** The most solver frames a step may take. */
    int maxBatch();

    /**
     * Called before the first step of an epoch.
     *
     * @param order  the visiting order (not modified; kept until the next call)
     * @param gains  per-utterance gain of the epoch, or null for 1 (not modified; kept until the next call)
     * @param shifts per-utterance grid offset of the epoch, or null for the unshifted grid (likewise)
     */
    void startEpoch(int epoch, int[] order, float[] gains, int[] shifts);

    /**
     * The loss of the step's examples {@code order[from .. from+size)} at K (k x n row-major, not modified) with
     * steps sigma and tau, and its gradient, written into {@code gradOut[0 .. k*n)} (overwritten).
     *
     * @return l over the step's frames (0.5 * sum ||y^L - s||^2 for the squared error)
     */
    double lossAndGradient(float[] k, float sigma, float tau, int from, int size, float[] gradOut);

    /** Bytes of gradient workspace this process holds (0 where the work is done elsewhere). */
    long workspaceBytes();

    /** One line for logs and provenance: where and how the gradient is computed. */
    String describe();

    /** Releases threads, native memory or cluster resources, if any. */
    @Override
    default void close() {
    }
}
