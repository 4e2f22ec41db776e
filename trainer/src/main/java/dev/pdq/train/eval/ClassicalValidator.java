package dev.pdq.train.eval;

import dev.pdq.operator.Operator;
import dev.pdq.train.loop.Validation;

import java.util.List;
import java.util.function.Function;

/**
 * Validation during training by the same measurement as {@code eval}: classical inference (L iterations, one frame
 * grid) through the runtime's streaming dequantizer on every validation utterance, scored per utterance:
 * MSE per sample over everything, mean per-file SNR, overall SNR, mean segmental SNR, and each set's mean per-file
 * SNR when the signals come in several sets (corpora, peak levels). With several sets the best K is chosen on the
 * geometric mean over the sets of their MSE relative to their signal power, 10^(-mean overall SNR / 10): a dB
 * gained in any set counts the same, so that neither a long corpus nor one level drowns the others.
 */
public final class ClassicalValidator implements Validation.Validator {
    private final Inference inference;
    private final Function<float[], Operator> operator;
    private final int iterations;
    private final int shifts;
    private final List<EvalSignal> signals;

    /**
     * @param operator makes the operator of a K (bits, rate, theta, step ratio as trained)
     * @param shifts   shifted frame grids averaged (1 for plain framing)
     */
    public ClassicalValidator(Inference inference, Function<float[], Operator> operator, int iterations, int shifts,
                              List<EvalSignal> signals) {
        this.inference = inference;
        this.operator = operator;
        this.iterations = iterations;
        this.shifts = shifts;
        this.signals = List.copyOf(signals);
    }

    @Override
    public Validation validate(float[] kMat) {
        List<FileScore> scores = inference.classical(operator.apply(kMat), shifts, iterations, signals);
        Score s = Score.of(scores);
        java.util.Map<String, List<FileScore>> groups = new java.util.TreeMap<>();
        for (int i = 0; i < signals.size(); i++) {
            groups.computeIfAbsent(signals.get(i).group(), g -> new java.util.ArrayList<>()).add(scores.get(i));
        }
        if (groups.size() < 2) {
            return new Validation(s.mse(), s.snrMeanPerFile(), s.snrOverall(), s.segmentalSnr());
        }
        double meanDb = 0;
        StringBuilder line = new StringBuilder();
        for (var g : groups.entrySet()) {
            Score gs = Score.of(g.getValue());
            meanDb += gs.snrOverall() / groups.size();
            line.append(line.length() == 0 ? "" : "; ").append(g.getKey()).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.3f dB", gs.snrMeanPerFile()));
        }
        double criterion = Math.pow(10, -meanDb / 10); // the geometric mean of the sets' relative MSEs
        return new Validation(criterion, s.snrMeanPerFile(), s.snrOverall(), s.segmentalSnr(), line.toString());
    }
}
