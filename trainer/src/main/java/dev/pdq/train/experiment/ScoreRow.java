package dev.pdq.train.experiment;

import dev.pdq.train.eval.Score;

import java.util.Locale;

/**
 * One test score of an experiment: an operator trained (or not) at L, scored at one inference on S frame grids.
 *
 * @param operator       "quantized input", "dct" (K = DCT, untrained), "full" or "truncated" (trained with that
 *                       backpropagation)
 * @param trainedL       the L it was trained with (for dct: the L of its classical inference; 0 for the input)
 * @param inference      "input", "classical" (trainedL iterations) or "optimality" (until converged or the cap)
 * @param shifts         frame grids S (0 for the input)
 * @param iterations     iterations a frame: L for classical, the mean for optimality, 0 for the input
 * @param note           e.g. batches stopped at the cap, or ""
 */
public record ScoreRow(String operator, int trainedL, String inference, int shifts, double iterations, Score score,
                       String note) {

    public static final String CSV_HEADER = "operator,L,inference,shifts,iterations,files,mse,snr_mean_per_file_db,"
            + "snr_overall_db,segsnr_db,stoi,note";

    public String csv() {
        return String.format(Locale.ROOT, "%s,%d,%s,%s,%.1f,%d,%.6e,%.4f,%.4f,%.4f,%.4f,%s", operator, trainedL,
                inference, shifts > 0 ? Integer.toString(shifts) : "", iterations, score.files(), score.mse(),
                score.snrMeanPerFile(), score.snrOverall(), score.segmentalSnr(), score.stoi(),
                note.contains(",") ? '"' + note.replace("\"", "\"\"") + '"' : note);
    }
}
