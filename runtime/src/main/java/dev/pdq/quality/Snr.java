package dev.pdq.quality;

/**
 * Signal-to-noise ratios of a signal y against a clean reference s, in dB, computed in double precision.
 *
 * <ul>
 *   <li>SNR = 10 log10( sum s^2 / sum (s - y)^2 ) over the whole signal.</li>
 *   <li>Segmental SNR: the mean over consecutive segments (20 ms: 320 samples at 16 kHz) of each segment's SNR,
 *       clamped to [-10, 35] dB; segments whose reference is silent (mean square below 1e-6, -60 dBFS) are
 *       skipped, as is usual, since their SNR says nothing about speech.</li>
 * </ul>
 */
public final class Snr {
    public static final double SEGMENT_FLOOR_DB = -10;
    public static final double SEGMENT_CEILING_DB = 35;
    public static final double SILENT_MEAN_SQUARE = 1e-6;

    private Snr() {
    }

    /** SNR in dB of y[yOff..yOff+len) against s[sOff..sOff+len); +Infinity when they are equal. */
    public static double snr(float[] s, int sOff, float[] y, int yOff, int len) {
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < len; i++) {
            double a = s[sOff + i];
            double d = a - y[yOff + i];
            signal += a * a;
            noise += d * d;
        }
        return 10 * Math.log10(signal / noise);
    }

    /** SNR in dB over whole arrays of equal length. */
    public static double snr(float[] s, float[] y) {
        requireSameLength(s, y);
        return snr(s, 0, y, 0, s.length);
    }

    /** Mean squared error over whole arrays of equal length. */
    public static double mse(float[] s, float[] y) {
        requireSameLength(s, y);
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            double d = (double) s[i] - y[i];
            sum += d * d;
        }
        return s.length == 0 ? 0 : sum / s.length;
    }

    /** Segmental SNR in dB (see the class comment); NaN when every segment is silent. */
    public static double segmental(float[] s, float[] y, int segment) {
        requireSameLength(s, y);
        if (segment <= 0) {
            throw new IllegalArgumentException("segment = " + segment + " must be positive");
        }
        double sum = 0;
        int count = 0;
        for (int off = 0; off + segment <= s.length; off += segment) {
            double energy = 0;
            for (int i = off; i < off + segment; i++) {
                energy += (double) s[i] * s[i];
            }
            if (energy / segment < SILENT_MEAN_SQUARE) {
                continue;
            }
            double v = snr(s, off, y, off, segment);
            sum += Math.max(SEGMENT_FLOOR_DB, Math.min(SEGMENT_CEILING_DB, v));
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static void requireSameLength(float[] s, float[] y) {
        if (s.length != y.length) {
            throw new IllegalArgumentException("reference has " + s.length + " samples, signal " + y.length);
        }
    }
}
