package dev.pdq.train.eval;

import dev.pdq.quality.Snr;
import dev.pdq.quality.Stoi;

/**
 * Error measures of a dequantized signal y against the clean signal s (one utterance: one channel of one file),
 * with the runtime's definitions ({@link Snr} and {@link Stoi}, also behind {@code pdq compare}):
 *
 * <pre>
 *   error energy   E_e = sum_t (y_t - s_t)^2            signal energy E_s = sum_t s_t^2
 *   MSE            E_e / T
 *   SNR (dB)       10 log10(E_s / E_e)
 *   segmental SNR  mean over the 20 ms segments (320 samples at 16 kHz; a trailing partial segment left out) of
 *                  clamp(10 log10(E_s,seg / E_e,seg), -10, 35), skipping silent segments (mean square of s below
 *                  1e-6, i.e. -60 dBFS)
 *   STOI           short-time objective intelligibility (Taal et al. 2011, as pystoi computes it), 0..1; NaN for an
 *                  utterance with too little speech for one 384 ms segment
 * </pre>
 *
 * Sums are accumulated in double.
 */
public final class SignalMetrics {
    /** Segment duration of the segmental SNR, in seconds. */
    public static final double SEGMENT_SECONDS = 0.020;

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

    /** The score of one utterance: y against s, whole arrays of equal length. */
    public static FileScore score(String name, float[] y, float[] s, int sampleRate) {
        return score(name, y, s, sampleRate, stoiReference(s, sampleRate));
    }

    /**
     * The score of one utterance: y against s, whole arrays of equal length, with s prepared for STOI
     * ({@link #stoiReference}; null: no STOI).
     */
    public static FileScore score(String name, float[] y, float[] s, int sampleRate, Stoi stoiReference) {
        if (y.length != s.length) {
            throw new IllegalArgumentException(name + ": output has " + y.length + " samples, clean signal "
                    + s.length);
        }
        return new FileScore(name, s.length, energy(s, 0, s.length), errorEnergy(y, s, 0, s.length),
                Snr.segmental(s, y, segmentLength(sampleRate)),
                stoiReference == null ? Double.NaN : stoiReference.score(y));
    }

    /** The clean signal s prepared for STOI, or null when it has too little speech for it. */
    public static Stoi stoiReference(float[] s, int sampleRate) {
        try {
            return Stoi.of(s, sampleRate);
        } catch (Stoi.TooShortException e) {
            return null;
        }
    }
}
