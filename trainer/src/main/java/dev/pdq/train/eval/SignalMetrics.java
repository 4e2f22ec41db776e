package dev.pdq.train.eval;

/**
 * Error measures of a dequantized signal y against the clean signal s (one utterance: one channel of one file).
 *
 * <pre>
 *   error energy   E_e = sum_t (y_t - s_t)^2            signal energy E_s = sum_t s_t^2
 *   MSE            E_e / T
 *   SNR (dB)       10 log10(E_s / E_e)
 *   segmental SNR  mean over the non-silent segments of clamp(10 log10(E_s,seg / E_e,seg), -10, 35)
 * </pre>
 *
 * Segments are 20 ms ({@link #segmentLength}), consecutive, not overlapping; a trailing partial segment is left
 * out. A segment is silent when its signal energy is more than {@link #SILENCE_DB} dB below that of the
 * utterance's loudest segment (so the threshold does not depend on the level); a segment with no error scores
 * the upper clamp. Sums are accumulated in double.
 */
public final class SignalMetrics {
    /** Segment duration of the segmental SNR, in seconds. */
    public static final double SEGMENT_SECONDS = 0.020;
    /** Lower clamp of a segment's SNR, dB. */
    public static final double SEGMENT_MIN_DB = -10;
    /** Upper clamp of a segment's SNR, dB. */
    public static final double SEGMENT_MAX_DB = 35;
    /** Segments this far (dB) below the loudest one of the utterance are silent and skipped. */
    public static final double SILENCE_DB = 50;

    private SignalMetrics() {
    }

    /** Samples in a 20 ms segment at this rate (rounded, at least 1). */
    public static int segmentLength(int sampleRate) {
        return Math.max(1, (int) Math.round(SEGMENT_SECONDS * sampleRate));
    }

    /** sum of (y[i] - s[i])^2 over i in [off, off+len). */
    public static double errorEnergy(float[] y, float[] s, int off, int len) {
        double e = 0;
        for (int i = off; i < off + len; i++) {
            double d = (double) y[i] - s[i];
            e += d * d;
        }
        return e;
    }

    /** sum of s[i]^2 over i in [off, off+len). */
    public static double energy(float[] s, int off, int len) {
        double e = 0;
        for (int i = off; i < off + len; i++) {
            e += (double) s[i] * s[i];
        }
        return e;
    }

    /** 10 log10(signal / error): +Infinity for no error, -Infinity for no signal. */
    public static double snrDb(double signalEnergy, double errorEnergy) {
        return 10 * Math.log10(signalEnergy / errorEnergy);
    }

    /**
     * The segmental SNR of y against s (whole arrays, same length), or NaN when no segment is non-silent.
     *
     * @param segment segment length in samples ({@link #segmentLength})
     */
    public static double segmentalSnrDb(float[] y, float[] s, int segment) {
        if (y.length != s.length) {
            throw new IllegalArgumentException("segmental SNR: y has " + y.length + " samples, s " + s.length);
        }
        int count = s.length / segment;
        double loudest = 0;
        for (int j = 0; j < count; j++) {
            loudest = Math.max(loudest, energy(s, j * segment, segment));
        }
        if (!(loudest > 0)) {
            return Double.NaN;
        }
        double threshold = loudest * Math.pow(10, -SILENCE_DB / 10);
        double sum = 0;
        int used = 0;
        for (int j = 0; j < count; j++) {
            double es = energy(s, j * segment, segment);
            if (es < threshold) {
                continue;
            }
            double ee = errorEnergy(y, s, j * segment, segment);
            double db = ee > 0 ? snrDb(es, ee) : SEGMENT_MAX_DB;
            sum += Math.max(SEGMENT_MIN_DB, Math.min(SEGMENT_MAX_DB, db));
            used++;
        }
        return used > 0 ? sum / used : Double.NaN;
    }

    /** The score of one utterance: y against s, whole arrays of equal length. */
    public static FileScore score(String name, float[] y, float[] s, int sampleRate) {
        if (y.length != s.length) {
            throw new IllegalArgumentException(name + ": output has " + y.length + " samples, clean signal "
                    + s.length);
        }
        return new FileScore(name, s.length, energy(s, 0, s.length), errorEnergy(y, s, 0, s.length),
                segmentalSnrDb(y, s, segmentLength(sampleRate)));
    }
}
