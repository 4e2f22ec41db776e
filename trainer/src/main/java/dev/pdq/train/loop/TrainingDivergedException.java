package dev.pdq.train.loop;

/** Training stopped because the loss, the gradient or K became non-finite or the loss exploded. */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final long step;

    public TrainingDivergedException(int epoch, long step, String message) {
        super(message);
        this.epoch = epoch;
        this.step = step;
    }

    /** The epoch (1-based) in which it happened. */
    public int epoch() {
        return epoch;
    }

    /** The global step (0-based) at which it happened. */
    public long step() {
        return step;
    }
}
