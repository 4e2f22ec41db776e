package dev.pdq.quality;

/**
 * The signals of tools/stoi_fixtures.py, regenerated bit for bit: a port of its generator that evaluates every
 * expression in the same order with operations IEEE 754 rounds identically in Python and Java (see the script's
 * docstring). The fixture CSV carries checksums so that a test notices when the two drift apart.
 */
final class StoiFixtures {
    static final double SECONDS = 2.1;
    /** start s, end s, f0 at start, f0 at end, F1, F2, F3 (Hz). */
    private static final double[][] SYLLABLES = {
            {0.10, 0.40, 120.0, 100.0, 730.0, 1090.0, 2440.0},
            {0.50, 0.75, 140.0, 125.0, 270.0, 2290.0, 3010.0},
            {0.85, 1.25, 110.0, 95.0, 300.0, 870.0, 2240.0},
            {1.35, 1.60, 130.0, 150.0, 530.0, 1840.0, 2480.0},
            {1.70, 1.95, 115.0, 100.0, 570.0, 840.0, 2410.0}};
    private static final double[] FRICATIVE = {0.40, 0.48};
    private static final double BANDWIDTH_HZ = 100.0;
    private static final double RAMP_S = 0.02;

    private StoiFixtures() {
    }

    /** Knuth's MMIX LCG; next() is (state >>> 11) 2^-53, uniform in [0, 1). */
    static final class Lcg {
        private long state;

        Lcg(long seed) {
            state = seed;
        }

        double next() {
            state = state * 6364136223846793005L + 1442695040888963407L;
            return (state >>> 11) * 0x1.0p-53;
        }
    }

    static double cosSeries(double x) {
        double term = 1.0;
        double total = 1.0;
        for (int k = 1; k < 31; k++) {
            term = term * (-x * x / ((2 * k - 1) * (2 * k)));
            total = total + term;
        }
        return total;
    }

    /** The clean speech-like signal at fs Hz (2.1 s). */
    static float[] clean(int fs) {
        int total = (int) (SECONDS * fs);
        double ramp = RAMP_S * fs;
        double r = 1.0 - Math.PI * BANDWIDTH_HZ / fs;
        double[] exc = new double[total];
        double[][][] coef = new double[total][][];
        double phase = 0.0;
        for (double[] s : SYLLABLES) {
            int a = (int) (s[0] * fs);
            int b = (int) (s[1] * fs);
            double[][] c = new double[3][];
            for (int k = 0; k < 3; k++) {
                c[k] = new double[] {2.0 * r * cosSeries(2.0 * Math.PI * s[4 + k] / fs), r * r};
            }
            for (int n = a; n < b; n++) {
                double frac = (double) (n - a) / (b - a);
                double f0 = s[2] + (s[3] - s[2]) * frac;
                phase = phase + f0 / fs;
                double e = 0.0;
                if (phase >= 1.0) {
                    phase = phase - 1.0;
                    e = 1.0;
                }
                double env = Math.min(1.0, Math.min((n - a) / ramp, (b - 1 - n) / ramp));
                exc[n] = e * env;
                coef[n] = c;
            }
        }
        double[] vowel = new double[total];
        double[][] state = new double[3][2];
        double[][] current = null;
        for (int n = 0; n < total; n++) {
            if (coef[n] != null) {
                current = coef[n];
            }
            double x = exc[n];
            if (current != null) {
                for (int k = 0; k < 3; k++) {
                    double y = x + current[k][0] * state[k][0] - current[k][1] * state[k][1];
                    state[k][1] = state[k][0];
                    state[k][0] = y;
                    x = y;
                }
            }
            vowel[n] = x;
        }
        double peak = 0.0;
        for (double v : vowel) {
            peak = Math.max(peak, Math.abs(v));
        }
        Lcg rng = new Lcg(1);
        int fa = (int) (FRICATIVE[0] * fs);
        int fb = (int) (FRICATIVE[1] * fs);
        double prev = 0.0;
        float[] out = new float[total];
        for (int n = 0; n < total; n++) {
            double fric = 0.0;
            if (fa <= n && n < fb) {
                double w = rng.next() - 0.5;
                double env = Math.min(1.0, Math.min((n - fa) / ramp, (fb - 1 - n) / ramp));
                fric = (w - prev) * env;
                prev = w;
            }
            double floor = rng.next() - 0.5;
            out[n] = (float) (vowel[n] / peak * 0.8 + 0.1 * fric + 0.0001 * floor);
        }
        return out;
    }

    /** The processed signal: clean, noise-SIGMA, quant4 or average-1ms (see the script). */
    static float[] variant(float[] clean, String name, int fs) {
        int len = clean.length;
        float[] y = new float[len];
        if (name.equals("clean")) {
            return clean.clone();
        } else if (name.startsWith("noise-")) {
            double sigma = Double.parseDouble(name.substring("noise-".length()));
            Lcg rng = new Lcg(sigma == 0.02 ? 2 : 3);
            for (int n = 0; n < len; n++) {
                double u = rng.next() + rng.next() + rng.next() + rng.next() - 2.0;
                y[n] = (float) (clean[n] + sigma * u);
            }
        } else if (name.equals("quant4")) {
            for (int n = 0; n < len; n++) {
                double c = Math.min(15, Math.max(0, Math.floor((clean[n] + 1.0) * 8.0)));
                y[n] = (float) ((c + 0.5) / 8.0 - 1.0);
            }
        } else if (name.equals("average-1ms")) {
            int m = fs / 1000;
            for (int n = 0; n < len; n++) {
                double s = 0.0;
                for (int j = n - m + 1; j <= n; j++) {
                    if (j >= 0) {
                        s = s + clean[j];
                    }
                }
                y[n] = (float) (s / m);
            }
        } else {
            throw new IllegalArgumentException(name);
        }
        return y;
    }

    /** The double sum of the samples in order, as the script's checksum. */
    static double checksum(float[] x) {
        double s = 0.0;
        for (float v : x) {
            s = s + v;
        }
        return s;
    }
}
