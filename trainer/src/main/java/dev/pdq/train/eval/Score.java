package dev.pdq.train.eval;

import java.util.List;

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
        double segSum = 0;
        int segCount = 0;
        double stoiSum = 0;
        int stoiCount = 0;
        for (FileScore f : scores) {
            samples += f.samples();
            signal += f.signalEnergy();
            error += f.errorEnergy();
            snrSum += f.snrDb();
            if (!Double.isNaN(f.segmentalSnrDb())) {
                segSum += f.segmentalSnrDb();
                segCount++;
            }
            if (!Double.isNaN(f.stoi())) {
                stoiSum += f.stoi();
                stoiCount++;
            }
        }
        return new Score(scores.size(), samples, error / samples, snrSum / scores.size(),
                SignalMetrics.snrDb(signal, error), segCount > 0 ? segSum / segCount : Double.NaN,
                stoiCount > 0 ? stoiSum / stoiCount : Double.NaN);
    }
}
