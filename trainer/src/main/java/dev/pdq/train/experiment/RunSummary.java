package dev.pdq.train.experiment;

import dev.pdq.train.loop.EpochRecord;

import java.util.List;
import java.util.Locale;

/**
 * What one training run of an experiment cost and reached.
 *
 * @param mode            "full" or "truncated"
 * @param backpropSteps   b (truncated); 0 for full
 * @param epochs          epochs run
 * @param steps           steps per epoch
 * @param secondsPerEpoch mean wall time of an epoch's training steps (validation excluded)
 * @param framesPerSecond training frames per second over all epochs
 * @param peakHeapMib     the largest per-epoch peak heap (training and validation of the epoch)
 * @param workspaceMib    the gradient workers' workspace (off-heap with a native BLAS), MiB
 * @param bestEpoch       the epoch whose K was kept (0: the initial DCT)
 * @param validSnrDb      its validation mean per-file SNR
 * @param wallSeconds     wall time of the whole run (reading, validation, files included)
 */
public record RunSummary(String mode, int iterations, int backpropSteps, int epochs, long steps,
                         double secondsPerEpoch, double framesPerSecond, double peakHeapMib, double workspaceMib,
                         int bestEpoch, double validSnrDb, double wallSeconds) {

    public static final String CSV_HEADER = "mode,L,b,epochs,steps_per_epoch,seconds_per_epoch,frames_per_second,"
            + "peak_heap_mib,workspace_bytes,best_epoch,valid_snr_db,wall_seconds";

    /** From a finished run's log (epoch 0, the initial validation, is not an epoch of training). */
    public static RunSummary of(String mode, int iterations, int backpropSteps, List<EpochRecord> log,
                                int bestEpoch, double workspaceMib, double wallSeconds) {
        double seconds = 0;
        double frames = 0;
        double heap = 0;
        int epochs = 0;
        long steps = 0;
        long lastSteps = 0;
        double validSnr = Double.NaN;
        for (EpochRecord r : log) {
            if (r.epoch() == bestEpoch) {
                validSnr = r.validSnrDb();
            }
            if (r.epoch() == 0) {
                continue;
            }
            epochs++;
            seconds += r.trainSeconds();
            frames += r.framesPerSecond() * r.trainSeconds();
            heap = Math.max(heap, r.peakHeapMib());
            steps = r.steps() - lastSteps;
            lastSteps = r.steps();
        }
        return new RunSummary(mode, iterations, backpropSteps, epochs, steps,
                epochs == 0 ? Double.NaN : seconds / epochs, seconds > 0 ? frames / seconds : Double.NaN, heap,
                workspaceMib, bestEpoch, validSnr, wallSeconds);
    }

    public String csv() {
        return String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%.2f,%.1f,%.1f,%d,%d,%.4f,%.1f", mode, iterations,
                backpropSteps > 0 ? Integer.toString(backpropSteps) : "", epochs, steps, secondsPerEpoch,
                framesPerSecond, peakHeapMib, Math.round(workspaceMib * 1024 * 1024), bestEpoch, validSnrDb, wallSeconds);
    }
}
