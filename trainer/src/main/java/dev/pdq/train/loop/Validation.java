package dev.pdq.train.loop;

/**
 * The validation result of an operator: per-sample MSE, mean per-file SNR, overall SNR and mean segmental SNR
 * (see {@link dev.pdq.train.eval.Score}) over every validation file, and the same figures per corpus when the files
 * come from several.
 *
 * @param mse     what the best K is chosen on: the per-sample MSE over every file, or with several sets (corpora,
 *                levels) the geometric mean of their MSEs relative to their signal power, so that neither one long
 *                corpus nor one level drowns the others (a model for everyone)
 * @param corpora one line with each corpus's mean per-file SNR ("ieee16k/dev 15.650 dB; voices16k/dev 13.264 dB"),
 *                or "" with one corpus
 */
public record Validation(double mse, double snrDb, double snrOverallDb, double segSnrDb, String corpora) {

    /** One corpus (no per-corpus line). */
    public Validation(double mse, double snrDb, double snrOverallDb, double segSnrDb) {
        this(mse, snrDb, snrOverallDb, segSnrDb, "");
    }

    /** Scores K (k x n row-major) on the validation set. */
    public interface Validator {
        Validation validate(float[] kMat);
    }
}
