package dev.pdq.train.eval;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Scores of a set of utterances, each one counted once whatever its length:
 *
 * <pre>
 *   mse              sum of error energies / sum of samples          (per sample, over everything)
 *   snrMeanPerFile   mean over the utterances of 10 log10(E_s / E_e)  ("mean per-file SNR", the corpus's figure)
 *   snrOverall       10 log10(sum E_s / sum E_e)                      (every sample weighted equally)
 *   segmentalSnr     mean over the utterances of their segmental SNR (those with a non-silent segment)
 *   stoi             mean over the utterances of their STOI (those with enough speech for it), NaN if none has
 * </pre>
 */
public record Score(int files, long samples, double mse, double snrMeanPerFile, double snrOverall,
                    double segmentalSnr, double stoi) {

    public static Score of(List<FileScore> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no utterances to score");
        }
        long samples = 0;
        double signal = 0;
        double error = 0;
        double snrSum = 0;
        for (FileScore f : scores) {
            samples += f.samples();
            signal += f.signalEnergy();
            error += f.errorEnergy();
            snrSum += f.snrDb();
        }
        return new Score(scores.size(), samples, error / samples, snrSum / scores.size(),
                SignalMetrics.snrDb(signal, error), meanOfDefined(scores, FileScore::segmentalSnrDb),
                meanOfDefined(scores, FileScore::stoi));
    }

    /** The mean of the values that are not NaN (a file too short or too quiet for the measure); NaN if none is. */
    private static double meanOfDefined(List<FileScore> scores, ToDoubleFunction<FileScore> measure) {
        double sum = 0;
        int count = 0;
        for (FileScore f : scores) {
            double v = measure.applyAsDouble(f);
            if (!Double.isNaN(v)) {
                sum += v;
                count++;
            }
        }
        return count > 0 ? sum / count : Double.NaN;
    }
}
