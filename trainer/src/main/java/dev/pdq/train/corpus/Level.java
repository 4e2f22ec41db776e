package dev.pdq.train.corpus;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How the level of the audio is set before quantization.
 *
 * <ul>
 *   <li>{@code peak}: every utterance (channel of a file) is scaled so that its peak |s| is 1, in training,
 *       validation and evaluation. This is the paper's set-up; a streaming node cannot do it (it does not know the
 *       peak of what is still to come).</li>
 *   <li>{@code fixed}: full scale is fixed (1.0 = the WAV's full scale). Validation and evaluation use every file at
 *       its recorded level. Training sees each utterance at a random level: in every epoch each training
 *       utterance is scaled so that its peak lies at g dBFS, g drawn uniformly from [gainLowDb, gainHighDb]
 *       (default [-20, 0]), independently per utterance and epoch, from a generator seeded by (seed, epoch,
 *       utterance). That is what a deployed node sees: speech at whatever level the microphone gives.</li>
 * </ul>
 *
 * @param gainLowDb  lowest training peak level in dBFS (fixed only)
 * @param gainHighDb highest training peak level in dBFS (fixed only)
 */
public record Level(Mode mode, double gainLowDb, double gainHighDb) {
    public static final double DEFAULT_GAIN_LOW_DB = -20;
    public static final double DEFAULT_GAIN_HIGH_DB = 0;

    public enum Mode {
        PEAK, FIXED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Level {
        if (!Double.isFinite(gainLowDb) || !Double.isFinite(gainHighDb) || gainLowDb > gainHighDb
                || gainHighDb > 0) {
            throw new IllegalArgumentException("training gain range [" + gainLowDb + ", " + gainHighDb
                    + "] dBFS must be finite, ordered and at most 0 dBFS");
        }
    }

    public static Level peak() {
        return new Level(Mode.PEAK, DEFAULT_GAIN_LOW_DB, DEFAULT_GAIN_HIGH_DB);
    }

    public static Level fixed(double lowDb, double highDb) {
        return new Level(Mode.FIXED, lowDb, highDb);
    }

    /** The utterance as validation and evaluation see it: peak-normalized (peak) or as recorded (fixed). */
    public float[] evaluationSignal(Utterance u) {
        if (mode == Mode.FIXED) {
            return u.samples();
        }
        return scaled(u.samples(), 1.0 / u.peak());
    }

    /**
     * Training gains of one epoch, applied to the peak-normalized utterances: all 1 for peak; for fixed
     * 10^(g/20), g uniform in [gainLowDb, gainHighDb], drawn from a generator seeded by (seed, epoch, utterance).
     */
    public float[] trainingGains(long seed, int epoch, int utterances) {
        float[] g = new float[utterances];
        for (int u = 0; u < utterances; u++) {
            if (mode == Mode.PEAK) {
                g[u] = 1f;
            } else {
                SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, Seeds.GAIN, epoch, u));
                double db = gainLowDb + (gainHighDb - gainLowDb) * rnd.nextDouble();
                g[u] = (float) Math.pow(10, db / 20);
            }
        }
        return g;
    }

    /** One line for logs and provenance. */
    public String describe() {
        if (mode == Mode.PEAK) {
            return "peak: every utterance (file channel) peak-normalized to 1 in training, validation and evaluation";
        }
        return "fixed: full scale fixed, validation and evaluation at the recorded level; training utterances at a"
                + " random peak level uniform in [" + gainLowDb + ", " + gainHighDb + "] dBFS, drawn per utterance"
                + " and epoch";
    }

    /** The utterance peak-normalized, then at a peak of {@code peakDb} dBFS (full scale fixed at 1). */
    public static float[] atPeak(Utterance u, double peakDb) {
        if (!Double.isFinite(peakDb) || peakDb > 0) {
            throw new IllegalArgumentException("peak level " + peakDb + " dBFS must be finite and at most 0");
        }
        return scaled(u.samples(), Math.pow(10, peakDb / 20) / u.peak());
    }

    static float[] scaled(float[] s, double gain) {
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (s[i] * gain);
        }
        return out;
    }
}
