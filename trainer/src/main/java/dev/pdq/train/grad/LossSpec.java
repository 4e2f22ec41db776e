package dev.pdq.train.grad;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which training loss, as a setting (serializable: it travels to Spark executors; every gradient worker builds its
 * own {@link Loss} from it with {@link #create}).
 *
 * @param kind   {@link Kind#MSE}: the plain squared error; {@link Kind#WEIGHTED}: the CELP-weighted error mixed with it
 * @param weight w of {@link WeightedLoss} (in [0, 1]; 0 for MSE)
 */
public record LossSpec(Kind kind, double weight) implements Serializable {
    /** The plain squared error, what training used before losses were pluggable. */
    public static final LossSpec MSE = new LossSpec(Kind.MSE, 0);
    /** The weight of the weighted term when none is given. */
    public static final double DEFAULT_WEIGHT = 0.5;

    public enum Kind {
        MSE, WEIGHTED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public LossSpec {
        if (kind == null) {
            throw new IllegalArgumentException("loss kind is null");
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("loss weight " + weight + " must be in [0, 1]");
        }
        if (kind == Kind.MSE && weight != 0) {
            throw new IllegalArgumentException("the mse loss takes no weight (got " + weight + ")");
        }
    }

    /**
     * "mse" or "weighted" (case-insensitive), the latter with {@code weight} (ignored for mse).
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static LossSpec parse(String text, double weight) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "mse" -> of(Kind.MSE, weight);
            case "weighted" -> of(Kind.WEIGHTED, weight);
            default -> throw new IllegalArgumentException("loss '" + text + "' is neither mse nor weighted");
        };
    }

    /** The loss of this kind, with {@code weight} for the weighted one (ignored for mse, as --loss-weight is). */
    public static LossSpec of(Kind kind, double weight) {
        return kind == Kind.MSE ? MSE : new LossSpec(kind, weight);
    }

    /** A new loss for frames of n samples at this sample rate (the rate sets the weighting filter's LPC order). */
    public Loss create(int n, int sampleRate) {
        return kind == Kind.MSE ? new SquaredError(n) : WeightedLoss.classic(n, sampleRate, weight);
    }

    /** "mse" or "weighted W", as settings and checkpoints record it. */
    public String text() {
        return kind == Kind.MSE ? "mse" : "weighted " + weight;
    }
}
