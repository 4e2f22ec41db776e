package dev.pdq.train.eval;

/**
 * Error sums of one utterance (one channel of one file), see {@link SignalMetrics}.
 *
 * @param segmentalSnrDb the utterance's segmental SNR, NaN when it has no non-silent segment
 * @param stoi           the utterance's STOI, NaN when it has too little speech for it (under about 0.4 s)
 */
public record FileScore(String name, long samples, double signalEnergy, double errorEnergy, double segmentalSnrDb,
                        double stoi) {

    public double mse() {
        return errorEnergy / samples;
    }

    public double snrDb() {
        return SignalMetrics.snrDb(signalEnergy, errorEnergy);
    }
}
