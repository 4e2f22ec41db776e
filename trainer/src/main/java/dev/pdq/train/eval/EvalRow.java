package dev.pdq.train.eval;

import java.util.List;
import java.util.Locale;

/**
 * One row of an evaluation: an operator (or the quantized input) at a number of shifted grids S and an inference.
 *
 * @param inference  "input" (no dequantization), "classical" (L iterations) or "optimality" (until converged)
 * @param iterations L for classical rows; the mean iterations a frame took for optimality rows; 0 for the input
 * @param note       extra facts (e.g. batches that hit the iteration cap), or ""
 * @param files      the per-utterance scores behind the row
 * @param set        the files and level the row scores: "" for every file at the command's level, else the level
 *                   ("-20 dBFS"), the corpus ("voices16k/dev") or both
 */
public record EvalRow(String set, String operator, int shifts, String inference, double iterations, Score score,
                      String note, List<FileScore> files) {

    public static final String CSV_HEADER = "operator,shifts,inference,iterations,mse,snr_mean_per_file_db,"
            + "snr_overall_db,segsnr_db,stoi,files,note,set";

    /** A row of every file at the command's level. */
    public EvalRow(String operator, int shifts, String inference, double iterations, Score score, String note,
                   List<FileScore> files) {
        this("", operator, shifts, inference, iterations, score, note, files);
    }

    /**
     * The row for every signal (set: the level), then, when the signals come from more than one corpus, a row per
     * corpus (set: level and corpus), the scores of its files alone. {@code row.files()} are the signals' scores in
     * order.
     */
    public static List<EvalRow> bySet(String level, List<EvalSignal> signals, EvalRow row) {
        List<EvalRow> out = new java.util.ArrayList<>();
        out.add(row.in(level, row.files()));
        for (var g : byCorpus(signals, row.files()).entrySet()) {
            out.add(row.in(level.isEmpty() ? g.getKey() : level + ", " + g.getKey(), g.getValue()));
        }
        return out;
    }

    /**
     * The signals' scores ({@code files}, in the signals' order) by corpus (the folder each signal came from), in
     * name order; empty when they all come from one.
     */
    public static java.util.Map<String, List<FileScore>> byCorpus(List<EvalSignal> signals, List<FileScore> files) {
        java.util.Map<String, List<FileScore>> groups = new java.util.TreeMap<>();
        for (int i = 0; i < signals.size(); i++) {
            groups.computeIfAbsent(signals.get(i).group(), g -> new java.util.ArrayList<>()).add(files.get(i));
        }
        return groups.size() > 1 ? groups : java.util.Map.of();
    }

    private EvalRow in(String newSet, List<FileScore> subset) {
        return new EvalRow(newSet, operator, shifts, inference, iterations, Score.of(subset), note, subset);
    }

    public String csv() {
        return quote(operator) + "," + (shifts > 0 ? shifts : "") + "," + inference + ","
                + (inference.equals("input") ? "" : String.format(Locale.ROOT, "%.1f", iterations)) + ","
                + String.format(Locale.ROOT, "%.6e,%.4f,%.4f,%.4f,%.4f,%d,", score.mse(), score.snrMeanPerFile(),
                score.snrOverall(), score.segmentalSnr(), score.stoi(), score.files()) + quote(note) + "," + quote(set);
    }

    public String markdown() {
        String it;
        if (inference.equals("input")) {
            it = "-";
        } else if (inference.equals("optimality")) {
            it = String.format(Locale.ROOT, "mean %.0f", iterations);
        } else {
            it = Integer.toString((int) iterations);
        }
        if (!note.isEmpty()) {
            it += " (" + note + ")";
        }
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %.4e | %.3f | %.3f | %.3f | %.3f |", operator,
                shifts > 0 ? Integer.toString(shifts) : "-", inference, it, score.mse(), score.snrMeanPerFile(),
                score.snrOverall(), score.segmentalSnr(), score.stoi());
    }

    public static String markdownHeader() {
        return "| signal | S | inference | iterations | MSE | SNR, mean per file (dB) | SNR, overall (dB) |"
                + " segmental SNR (dB) | STOI, mean per file |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |";
    }

    static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
