package dev.pdq.train.optim;

/**
 * A learning rate falling (or rising) linearly per step: rate(s) = start + (end - start) * s / (steps - 1) for
 * s = 0 .. steps-1, so the first step uses {@code start} and the last uses {@code end} exactly (one step: start).
 */
public record LinearSchedule(double start, double end, long steps) {

    public LinearSchedule {
        if (!(start > 0) || !Double.isFinite(start) || !(end > 0) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("learning rates must be positive and finite, got start = " + start
                    + ", end = " + end);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("schedule: steps = " + steps + " must be at least 1");
        }
    }

    /** The rate of step s (0-based). */
    public double rate(long step) {
        if (step < 0 || step >= steps) {
            throw new IllegalArgumentException("schedule: step " + step + " not in 0.." + (steps - 1));
        }
        if (steps == 1) {
            return start;
        }
        if (step == steps - 1) {
            return end;
        }
        return start + (end - start) * ((double) step / (steps - 1));
    }

    @Override
    public String toString() {
        return "linear " + start + " -> " + end + " over " + steps + " steps";
    }
}
