package dev.pdq.train.loop;

import dev.pdq.operator.NodeQuantizers;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.quant.Scheme;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.grad.LossSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a training run's result (not how fast it runs: threads and BLAS backend are not
 * here). A checkpoint stores {@link #fingerprint()}; resuming with a different one is refused. Built with {@link
 * #builder()}, which starts from pdq-train train's defaults (the paper's set-up).
 *
 * @param alpha          primal mask threshold; NaN means r (the exact Jacobian)
 * @param stepsPerEpoch  cap on the steps of an epoch (smoke runs), 0 for all: ceil(frames / batch)
 * @param patience       stop after this many epochs without a better validation MSE; 0 runs every epoch
 * @param explodeFactor  a batch MSE above this times the first step's stops the run as diverged
 * @param shiftGrid      cut every utterance's frames from a grid shifted by a random offset per epoch (augmentation)
 * @param trainGrids     S of the loss through the averaged output of S shifted grids; 1 for the plain per-frame loss
 * @param scheme         the node quantizer the training frames go through (the model is for it)
 * @param gainBlock      BFP's gain block in samples (0 for the others)
 * @param balanceCorpora every epoch draws as many examples from each training corpus (a small corpus repeated, a
 *                       large one sampled), so that one long corpus does not drown the others
 * @param validLevels    validate with every file at each of these peak levels (dBFS), each level a set of its own;
 *                       empty: at the level mode's evaluation level
 * @param loss           the training loss: {@link LossSpec#MSE}, or the CELP-weighted error mixed with the MSE
 */
public record TrainConfig(GradientMode mode, int iterations, int backpropSteps, float alpha, int epochs, int batch,
                          double lrStart, double lrEnd, long seed, int patience, int stepsPerEpoch, int bits,
                          Level level, double explodeFactor, boolean shiftGrid,
                          int trainGrids, Scheme scheme, int gainBlock, boolean balanceCorpora,
                          java.util.List<Double> validLevels, LossSpec loss) {
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
        java.util.Objects.requireNonNull(scheme, "scheme");
        NodeQuantizers.of(scheme, bits, gainBlock); // the scheme takes these bits and this block
        validLevels = java.util.List.copyOf(validLevels);
        for (double db : validLevels) {
            if (!(db <= 0) || !Double.isFinite(db)) {
                throw new IllegalArgumentException("validation level " + db + " dBFS must be finite and at most 0");
            }
        }
        if ((scheme == Scheme.BFP) != (gainBlock > 0)) {
            throw new IllegalArgumentException("gain block " + gainBlock + (scheme == Scheme.BFP
                    ? " must be positive for bfp" : " must be 0 for " + scheme));
        }
    }

    /** The node's quantizer the training frames go through. */
    public NodeQuantizer nodeQuantizer() {
        return NodeQuantizers.of(scheme, bits, gainBlock);
    }

    /**
     * A builder holding pdq-train train's defaults: truncated, L = 100, b = 30, alpha = 1, 20 epochs, batch 32,
     * lr 1e-5 -> 1e-8, seed 1, no patience, every step, 4 bits, peak level, explode factor 1e6, one grid.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets the fields one by one; {@link #build()} checks them as the constructor does. */
    public static final class Builder {
        private GradientMode mode = GradientMode.TRUNCATED;
        private int iterations = 100;
        private int backpropSteps = 30;
        private float alpha = 1f;
        private int epochs = 20;
        private int batch = DEFAULT_BATCH;
        private double lrStart = 1e-5;
        private double lrEnd = 1e-8;
        private long seed = 1;
        private int patience;
        private int stepsPerEpoch;
        private int bits = 4;
        private Level level = Level.peak();
        private double explodeFactor = DEFAULT_EXPLODE_FACTOR;
        private boolean shiftGrid;
        private int trainGrids = 1;
        private Scheme scheme = Scheme.UNIFORM;
        private int gainBlock;
        private boolean balanceCorpora;
        private java.util.List<Double> validLevels = java.util.List.of();
        private LossSpec loss = LossSpec.MSE;

        /** The training loss ({@link LossSpec#MSE} unless set). */
        public Builder loss(LossSpec value) {
            loss = value;
            return this;
        }

        /** Peak levels (dBFS) to validate at, each a set of its own; empty for the level mode's. */
        public Builder validLevels(java.util.List<Double> value) {
            validLevels = value;
            return this;
        }

        public Builder balanceCorpora(boolean value) {
            balanceCorpora = value;
            return this;
        }

        private Builder() {
        }

        /** The node quantizer; BFP's gain block (0 for the others). */
        public Builder scheme(Scheme value, int block) {
            scheme = value;
            gainBlock = block;
            return this;
        }

        public Builder mode(GradientMode value) {
            mode = value;
            return this;
        }

        /** L, the unrolled iterations. */
        public Builder iterations(int value) {
            iterations = value;
            return this;
        }

        /** b, the backward steps of truncated backpropagation. */
        public Builder backpropSteps(int value) {
            backpropSteps = value;
            return this;
        }

        /** The primal mask threshold; NaN for r. */
        public Builder alpha(float value) {
            alpha = value;
            return this;
        }

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder batch(int value) {
            batch = value;
            return this;
        }

        /** The learning rate of the first and of the last step. */
        public Builder learningRate(double start, double end) {
            lrStart = start;
            lrEnd = end;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder patience(int value) {
            patience = value;
            return this;
        }

        public Builder stepsPerEpoch(int value) {
            stepsPerEpoch = value;
            return this;
        }

        public Builder bits(int value) {
            bits = value;
            return this;
        }

        public Builder level(Level value) {
            level = value;
            return this;
        }

        public Builder explodeFactor(double value) {
            explodeFactor = value;
            return this;
        }

        public Builder shiftGrid(boolean value) {
            shiftGrid = value;
            return this;
        }

        public Builder trainGrids(int value) {
            trainGrids = value;
            return this;
        }

        /** The configuration; IllegalArgumentException naming a field out of its range. */
        public TrainConfig build() {
            return new TrainConfig(mode, iterations, backpropSteps, alpha, epochs, batch, lrStart, lrEnd, seed,
                    patience, stepsPerEpoch, bits, level, explodeFactor, shiftGrid, trainGrids, scheme, gainBlock,
                    balanceCorpora, validLevels, loss);
        }
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
        if (scheme != Scheme.UNIFORM) { // likewise, only when not the uniform grid
            m.put("scheme", scheme + (gainBlock > 0 ? " " + gainBlock : ""));
        }
        if (balanceCorpora) {
            m.put("balance-corpora", "true");
        }
        if (!validLevels.isEmpty()) {
            m.put("valid-levels", validLevels.toString());
        }
        if (loss.kind() != LossSpec.Kind.MSE) { // likewise: mse runs' checkpoints hold no loss
            m.put("loss", loss.text());
        }
        return m;
    }
}
