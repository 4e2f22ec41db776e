package dev.pdq.train.loop;

import dev.pdq.train.corpus.Level;
import dev.pdq.train.grad.LossSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a training run's result (not how fast it runs: threads and BLAS backend are not
 * here). A checkpoint stores {@link #fingerprint()}; resuming with a different one is refused.
 *
 * @param alpha          primal mask threshold; NaN means r (the exact Jacobian)
 * @param stepsPerEpoch  cap on the steps of an epoch (smoke runs), 0 for all: ceil(frames / batch)
 * @param patience       stop after this many epochs without a better validation MSE; 0 runs every epoch
 * @param explodeFactor  a batch MSE above this times the first step's stops the run as diverged
 * @param shiftGrid      cut every utterance's frames from a grid shifted by a random offset per epoch (augmentation)
 * @param trainGrids     S of the loss through the averaged output of S shifted grids; 1 for the plain per-frame loss
 * @param loss           the training loss: {@link LossSpec#MSE}, or the CELP-weighted error mixed with the MSE
 */
public record TrainConfig(GradientMode mode, int iterations, int backpropSteps, float alpha, int epochs, int batch,
                          double lrStart, double lrEnd, long seed, int patience, int stepsPerEpoch, int bits,
                          Level level, double explodeFactor, boolean shiftGrid,
                          int trainGrids, LossSpec loss) {
    /** The paper's batch size. */
    public static final int DEFAULT_BATCH = 32;
    public static final double DEFAULT_EXPLODE_FACTOR = 1e6;

    public TrainConfig {
        if (iterations < 1 || backpropSteps < 1 || epochs < 1 || batch < 1) {
            throw new IllegalArgumentException("iterations (" + iterations + "), backprop steps (" + backpropSteps
                    + "), epochs (" + epochs + ") and batch (" + batch + ") must be at least 1");
        }
        if (!(alpha >= 0) && !Float.isNaN(alpha) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha = " + alpha + " must be finite and >= 0 (or r)");
        }
        if (!(lrStart > 0) || !(lrEnd > 0) || !Double.isFinite(lrStart) || !Double.isFinite(lrEnd)) {
            throw new IllegalArgumentException("learning rates " + lrStart + " -> " + lrEnd
                    + " must be positive and finite");
        }
        if (patience < 0 || stepsPerEpoch < 0) {
            throw new IllegalArgumentException("patience (" + patience + ") and steps per epoch (" + stepsPerEpoch
                    + ") must be >= 0");
        }
        if (trainGrids < 1 || trainGrids > batch) {
            throw new IllegalArgumentException("train grids " + trainGrids + " must be in 1.." + batch + " (the batch)");
        }
        if (!(explodeFactor > 1)) {
            throw new IllegalArgumentException("explode factor " + explodeFactor + " must be above 1");
        }
        if (loss == null) {
            throw new IllegalArgumentException("no loss");
        }
    }

    /** With the plain squared error (the settings before the loss was one). */
    public TrainConfig(GradientMode mode, int iterations, int backpropSteps, float alpha, int epochs, int batch,
                       double lrStart, double lrEnd, long seed, int patience, int stepsPerEpoch, int bits,
                       Level level, double explodeFactor, boolean shiftGrid, int trainGrids) {
        this(mode, iterations, backpropSteps, alpha, epochs, batch, lrStart, lrEnd, seed, patience, stepsPerEpoch,
                bits, level, explodeFactor, shiftGrid, trainGrids, LossSpec.MSE);
    }

    /** alpha as used: r when alpha is NaN. */
    public float alphaFor(float r) {
        return Float.isNaN(alpha) ? r : alpha;
    }

    public String alphaText() {
        return Float.isNaN(alpha) ? "r" : Float.toString(alpha);
    }

    /** Steps of one epoch for this many training frames. */
    public int stepsPerEpoch(int frames) {
        return stepsPerEpoch(frames, batch);
    }

    /** Steps of one epoch for this many examples taken {@code perStep} at a time. */
    public int stepsPerEpoch(int examples, int perStep) {
        int all = (examples + perStep - 1) / perStep;
        return stepsPerEpoch > 0 ? Math.min(all, stepsPerEpoch) : all;
    }

    /** The settings as ordered key = value pairs (doubles in full precision). */
    public Map<String, String> fingerprint() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mode", mode.toString());
        m.put("iterations", Integer.toString(iterations));
        m.put("backprop-steps", mode == GradientMode.TRUNCATED ? Integer.toString(backpropSteps) : "-");
        m.put("alpha", alphaText());
        m.put("epochs", Integer.toString(epochs));
        m.put("batch", Integer.toString(batch));
        m.put("lr-start", Double.toString(lrStart));
        m.put("lr-end", Double.toString(lrEnd));
        m.put("seed", Long.toString(seed));
        m.put("patience", Integer.toString(patience));
        m.put("steps-per-epoch", Integer.toString(stepsPerEpoch));
        m.put("bits", Integer.toString(bits));
        m.put("level", level.mode().toString());
        m.put("gain-db", level.gainLowDb() + ".." + level.gainHighDb());
        m.put("explode-factor", Double.toString(explodeFactor));
        if (shiftGrid) { // only when set, so checkpoints of runs from before the option still resume
            m.put("shift-grid", "true");
        }
        if (trainGrids > 1) {
            m.put("train-grids", Integer.toString(trainGrids));
        }
        if (loss.kind() != LossSpec.Kind.MSE) { // likewise: mse runs' checkpoints hold no loss
            m.put("loss", loss.text());
        }
        return m;
    }
}
