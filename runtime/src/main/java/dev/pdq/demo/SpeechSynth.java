package dev.pdq.demo;

import java.util.Random;

/**
 * A speech-like test signal made on the spot, so the demo and the benchmarks need no recordings: a source-filter
 * model with a glottal pulse train of varying pitch through three formant resonators that glide between vowels,
 * noise bursts for fricatives, and pauses between words. Not intelligible speech, but speech's spectrum and
 * dynamics, which is what dequantization cares about.
 */
public final class SpeechSynth {
    /** Formant frequencies (Hz) of a, e, i, o, u (Peterson and Barney, male speakers). */
    private static final double[][] VOWELS = {
            {730, 1090, 2440}, {530, 1840, 2480}, {270, 2290, 3010}, {570, 840, 2410}, {300, 870, 2240}};
    private static final double[] BANDWIDTHS = {80, 100, 140};

    private SpeechSynth() {
    }

    /** {@code seconds} of signal at {@code rate} Hz, peak 0.9, deterministic for a seed. */
    public static float[] generate(double seconds, int rate, long seed) {
        int total = (int) Math.round(seconds * rate);
        float[] out = new float[total];
        Random rnd = new Random(seed);
        int t = 0;
        while (t < total) {
            int syllables = 1 + rnd.nextInt(3);
            for (int s = 0; s < syllables && t < total; s++) {
                if (rnd.nextDouble() < 0.4) {
                    t = fricative(out, t, (int) (rate * (0.06 + 0.06 * rnd.nextDouble())), rate, rnd);
                }
                t = vowel(out, t, (int) (rate * (0.12 + 0.18 * rnd.nextDouble())), rate, rnd);
            }
            t += (int) (rate * (0.05 + 0.15 * rnd.nextDouble())); // pause between words
        }
        double peak = 0;
        for (float v : out) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak > 0) {
            for (int i = 0; i < total; i++) {
                out[i] = (float) (0.9 * out[i] / peak);
            }
        }
        return out;
    }

    private static int vowel(float[] out, int start, int length, int rate, Random rnd) {
        double[] from = VOWELS[rnd.nextInt(VOWELS.length)];
        double[] to = VOWELS[rnd.nextInt(VOWELS.length)];
        double f0 = 95 + 60 * rnd.nextDouble();
        double glide = (rnd.nextDouble() - 0.5) * 40;
        double[][] state = new double[3][2];
        double phase = 0;
        double src1 = 0;
        int end = Math.min(out.length, start + length);
        for (int t = start; t < end; t++) {
            double u = (t - start) / (double) length;
            phase += (f0 + glide * u) / rate;
            // glottal source: a pulse per period, smoothed (spectral tilt of about -12 dB/octave)
            double pulse = 0;
            if (phase >= 1) {
                phase -= 1;
                pulse = 1;
            }
            src1 = 0.95 * src1 + pulse;
            double x = src1 + 0.02 * rnd.nextGaussian();
            double y = 0;
            for (int f = 0; f < 3; f++) {
                double freq = from[f] + (to[f] - from[f]) * u;
                y += resonate(state[f], x, freq, BANDWIDTHS[f], rate) / (f + 1);
            }
            double envelope = Math.sin(Math.PI * u);
            out[t] += (float) (envelope * y);
        }
        return end;
    }

    private static int fricative(float[] out, int start, int length, int rate, Random rnd) {
        double[] state = new double[2];
        double centre = 2500 + 3000 * rnd.nextDouble();
        int end = Math.min(out.length, start + length);
        for (int t = start; t < end; t++) {
            double u = (t - start) / (double) length;
            double y = resonate(state, rnd.nextGaussian(), centre, 1500, rate);
            out[t] += (float) (0.05 * Math.sin(Math.PI * u) * y);
        }
        return end;
    }

    /** Two-pole resonator y[t] = x[t] + a1 y[t-1] + a2 y[t-2], scaled to unit gain at its centre. */
    private static double resonate(double[] s, double x, double freq, double bandwidth, int rate) {
        double radius = Math.exp(-Math.PI * bandwidth / rate);
        double a1 = 2 * radius * Math.cos(2 * Math.PI * freq / rate);
        double a2 = -radius * radius;
        double y = (1 - radius) * x + a1 * s[0] + a2 * s[1];
        s[1] = s[0];
        s[0] = y;
        return y;
    }
}
