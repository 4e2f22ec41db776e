package dev.pdq.train.loop;

import dev.pdq.train.files.RunFolder;
import dev.pdq.train.plot.Charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** PNG plots of a run's log: MSE (training and validation, log scale) and validation SNR against the epoch. */
public final class LearningCurves {
    public static final String MSE_PNG = "curves-mse.png";
    public static final String SNR_PNG = "curves-snr.png";

    private LearningCurves() {
    }

    public static void write(Path dir, List<EpochRecord> log) throws IOException {
        write(RunFolder.local(dir), log);
    }

    public static void write(RunFolder dir, List<EpochRecord> log) throws IOException {
        int m = log.size();
        double[] epoch = new double[m];
        double[] train = new double[m];
        double[] valid = new double[m];
        double[] snr = new double[m];
        double[] overall = new double[m];
        for (int i = 0; i < m; i++) {
            EpochRecord r = log.get(i);
            epoch[i] = r.epoch();
            train[i] = r.trainMse();
            valid[i] = r.validMse();
            snr[i] = r.validSnrDb();
            overall[i] = r.validSnrOverallDb();
        }
        dir.write(MSE_PNG, Charts.png("Learning curves: MSE per sample", "epoch", "MSE", false, true, List.of(
                new Charts.Series("training (during the epoch)", epoch, train),
                new Charts.Series("validation (after the epoch)", epoch, valid))));
        dir.write(SNR_PNG, Charts.png("Validation SNR", "epoch", "SNR (dB)", false, false, List.of(
                new Charts.Series("mean per-file SNR", epoch, snr),
                new Charts.Series("overall SNR", epoch, overall))));
    }
}
