package dev.pdq.train.loop;

import java.util.Locale;

/**
 * One row of the training log. Epoch 0 is the initial operator (validation only: its training fields are NaN).
 *
 * @param steps            global steps done at the end of the epoch
 * @param lrFirst          learning rate of the epoch's first step
 * @param lrLast           learning rate of its last step
 * @param trainMse         mean over the epoch's training frames of ||y^L - s||^2 / n, each frame at the K of its
 *                         step (per sample, as validMse)
 * @param validMse         validation MSE per sample, classical inference (L iterations, one frame grid)
 * @param validSnrDb       validation mean per-file SNR (dB), same inference
 * @param validSnrOverallDb validation SNR over all samples (dB)
 * @param validSegSnrDb    validation mean per-file segmental SNR (dB)
 * @param trainSeconds     wall time of the epoch's training steps
 * @param validSeconds     wall time of its validation
 * @param framesPerSecond  training frames / trainSeconds
 * @param peakHeapMib      peak heap use during the epoch (sum of the heap pools' peaks), MiB
 * @param best             whether this epoch's K became the best so far
 * @param validCorpora     each validation corpus's mean per-file SNR ({@link Validation#corpora()}), "" with one
 */
public record EpochRecord(int epoch, long steps, double lrFirst, double lrLast, double trainMse, double validMse,
                          double validSnrDb, double validSnrOverallDb, double validSegSnrDb, double trainSeconds,
                          double validSeconds, double framesPerSecond, double peakHeapMib, boolean best,
                          String validCorpora) {

    public static final String CSV_HEADER = "epoch,steps,lr_first,lr_last,train_mse,valid_mse,valid_snr_db,"
            + "valid_snr_overall_db,valid_segsnr_db,train_seconds,valid_seconds,frames_per_second,peak_heap_mib,best,"
            + "valid_corpora";

    /** A row with one validation corpus. */
    public EpochRecord(int epoch, long steps, double lrFirst, double lrLast, double trainMse, double validMse,
                       double validSnrDb, double validSnrOverallDb, double validSegSnrDb, double trainSeconds,
                       double validSeconds, double framesPerSecond, double peakHeapMib, boolean best) {
        this(epoch, steps, lrFirst, lrLast, trainMse, validMse, validSnrDb, validSnrOverallDb, validSegSnrDb,
                trainSeconds, validSeconds, framesPerSecond, peakHeapMib, best, "");
    }

    public String csv() {
        return epoch + "," + steps + "," + f("%.6e", lrFirst) + "," + f("%.6e", lrLast) + "," + f("%.6e", trainMse)
                + "," + f("%.6e", validMse) + "," + f("%.4f", validSnrDb) + "," + f("%.4f", validSnrOverallDb) + ","
                + f("%.4f", validSegSnrDb) + "," + f("%.2f", trainSeconds) + "," + f("%.2f", validSeconds) + ","
                + f("%.1f", framesPerSecond) + "," + f("%.1f", peakHeapMib) + "," + (best ? 1 : 0) + ","
                + (validCorpora.isEmpty() ? "" : '"' + validCorpora + '"');
    }

    /** A number for the CSV; empty for NaN (a field that does not apply, e.g. training fields of epoch 0). */
    private static String f(String format, double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
    }
}
