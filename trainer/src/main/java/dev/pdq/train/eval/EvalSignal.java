package dev.pdq.train.eval;

import dev.pdq.quality.Stoi;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.corpus.Utterance;

import java.util.ArrayList;
import java.util.List;

/**
 * One utterance to score: the clean signal at the level evaluation uses and what the node's quantizer tells the
 * decoder of it (values x and cells [x + below, x + above], the whole utterance quantized from its start).
 *
 * @param group         the corpus (validation folder) the utterance is from, for per-corpus figures
 * @param sampleRate    for the segment length of the segmental SNR and for STOI
 * @param stoiReference the clean signal prepared for STOI, made once for every score; null when the utterance has
 *                      too little speech for STOI or STOI was not asked for
 */
public record EvalSignal(String name, String group, int sampleRate, float[] clean, float[] quantized, float[] below,
                         float[] above, Stoi stoiReference) {

    /** Leveled as {@code level} says for evaluation, quantized with {@code quantizer}, prepared for STOI. */
    public static List<EvalSignal> of(List<Utterance> utterances, Level level, NodeQuantizer quantizer) {
        return of(utterances, level, quantizer, true);
    }

    /**
     * Leveled as {@code level} says for evaluation, quantized with {@code quantizer}; prepared for STOI if
     * {@code stoi}, else their scores carry no STOI (NaN) and cost nothing for it.
     */
    public static List<EvalSignal> of(List<Utterance> utterances, Level level, NodeQuantizer quantizer,
                                      boolean stoi) {
        List<EvalSignal> out = new ArrayList<>(utterances.size());
        for (Utterance u : utterances) {
            out.add(of(u, level.evaluationSignal(u), quantizer, stoi));
        }
        return out;
    }

    /**
     * Every utterance peak-normalized and then scaled to a peak of {@code peakDb} dBFS (a fixed full scale, the
     * level a node records at), quantized with {@code quantizer}.
     */
    public static List<EvalSignal> atPeak(List<Utterance> utterances, double peakDb, NodeQuantizer quantizer,
                                          boolean stoi) {
        List<EvalSignal> out = new ArrayList<>(utterances.size());
        String level = new java.math.BigDecimal(Double.toString(peakDb)).stripTrailingZeros().toPlainString()
                + " dBFS";
        for (Utterance u : utterances) {
            EvalSignal e = of(u, Level.atPeak(u, peakDb), quantizer, stoi);
            out.add(new EvalSignal(e.name(), e.group() + " at " + level, e.sampleRate(), e.clean(), e.quantized(),
                    e.below(), e.above(), e.stoiReference()));
        }
        return out;
    }

    private static EvalSignal of(Utterance u, float[] s, NodeQuantizer quantizer, boolean stoi) {
        float[] x = new float[s.length];
        float[] below = new float[s.length];
        float[] above = new float[s.length];
        quantizer.quantize(s, 0, s.length, x, below, above, 0);
        return new EvalSignal(u.name(), u.group(), u.sampleRate(), s, x, below, above,
                stoi ? SignalMetrics.stoiReference(s, u.sampleRate()) : null);
    }

    /** The score of the quantized input itself (no dequantization). */
    public FileScore inputScore() {
        return score(quantized);
    }

    /** The score of y, a dequantization of this utterance. */
    public FileScore score(float[] y) {
        return SignalMetrics.score(name, y, clean, sampleRate, stoiReference);
    }
}
