package dev.pdq.train.eval;

import dev.pdq.quality.Stoi;
import dev.pdq.quant.Quantizer;
import dev.pdq.train.corpus.Level;
import dev.pdq.train.corpus.Utterance;

import java.util.ArrayList;
import java.util.List;

/**
 * One utterance to score: the clean signal at the level evaluation uses and its quantization.
 *
 * @param sampleRate    for the segment length of the segmental SNR and for STOI
 * @param stoiReference the clean signal prepared for STOI, made once for every score; null when the utterance has
 *                      too little speech for STOI or STOI was not asked for
 */
public record EvalSignal(String name, int sampleRate, float[] clean, float[] quantized, Stoi stoiReference) {

    /** Leveled as {@code level} says for evaluation, quantized with {@code quantizer}, prepared for STOI. */
    public static List<EvalSignal> of(List<Utterance> utterances, Level level, Quantizer quantizer) {
        return of(utterances, level, quantizer, true);
    }

    /**
     * Leveled as {@code level} says for evaluation, quantized with {@code quantizer}; prepared for STOI if
     * {@code stoi}, else their scores carry no STOI (NaN) and cost nothing for it.
     */
    public static List<EvalSignal> of(List<Utterance> utterances, Level level, Quantizer quantizer, boolean stoi) {
        List<EvalSignal> out = new ArrayList<>(utterances.size());
        for (Utterance u : utterances) {
            float[] s = level.evaluationSignal(u);
            float[] x = new float[s.length];
            quantizer.quantize(s, 0, x, 0, s.length);
            out.add(new EvalSignal(u.name(), u.sampleRate(), s, x,
                    stoi ? SignalMetrics.stoiReference(s, u.sampleRate()) : null));
        }
        return out;
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
