package dev.pdq.train.loop;

/**
 * The validation result of an operator: per-sample MSE, mean per-file SNR, overall SNR and mean segmental SNR
 * (see {@link dev.pdq.train.eval.Score}).
 */
public record Validation(double mse, double snrDb, double snrOverallDb, double segSnrDb) {

    /** Scores K (k x n row-major) on the validation set. */
    public interface Validator {
        Validation validate(float[] kMat);
    }
}
