package dev.pdq.quality;

/**
 * Short-Time Objective Intelligibility (STOI; Taal, Hendriks, Heusdens, Jensen, IEEE TASLP 19(7), 2011) of a
 * processed signal y against its clean reference x, computed in double as the reference implementation pystoi
 * (v0.4.1, itself checked against the authors' MATLAB code) computes it. A value in [-1, 1], in practice [0, 1]:
 * the mean correlation of short-time band envelopes; higher is more intelligible. Neither input is modified.
 *
 * <pre>
 *   1. x, y resampled to 10 kHz ({@link OctaveResampler}: Octave's resample filter, as pystoi's resample_oct).
 *   2. Silent frames removed: frames t = 0, 128, ... (t + 256 &lt; length) of w x and w y, w the 256-point Hann
 *      window w_i = 0.5 - 0.5 cos(2 pi (i + 1) / 257); frame t is kept when
 *      20 log10(||w x_t|| + eps) &gt; max over frames - 40 dB (decided on x alone); the kept windowed frames are
 *      overlap-added back at hop 128 (consecutively, gaps closed).
 *   3. STFT of both: frames t = 0, 128, ... (t + 256 &lt; length) again windowed by w, zero-padded to 512 points,
 *      bins f = 0..256; one-third octave band envelopes
 *        X_j(m) = sqrt( sum_{f in band j} |X(f, m)|^2 ),   j = 1..15, band j = [lo_j, hi_j) the bins nearest to
 *        150 * 2^((2(j-1) -+ 1)/6) Hz (centres 150 Hz .. 3.8 kHz).
 *   4. For every segment of N = 30 consecutive frames ending at m (m = N..M) and band j, with x, y the N-vectors
 *      X_j(m-N+1..m), Y_j(m-N+1..m):
 *        y' = min( y ||x|| / (||y|| + eps),  x (1 + 10^(15/20)) )          (normalize, clip at -15 dB SDR)
 *        d_j,m = (x - mean x)^T (y' - mean y') / ((||x - mean x|| + eps) (||y' - mean y'|| + eps))
 *   5. STOI = mean over all segments and bands of d_j,m.                      eps = 2^-52
 * </pre>
 *
 * Signals too short for one segment after silent-frame removal (fewer than 31 kept frames: at least 0.4 s of
 * speech) throw {@link TooShortException}, an IllegalArgumentException, where pystoi warns and returns 1e-5: a
 * score of 1e-5 would be averaged into corpus means as if it were a measurement.
 */
public final class Stoi {
    /** The rate STOI works at, Hz. */
    public static final int RATE = 10_000;
    static final int FRAME = 256;
    static final int HOP = FRAME / 2;
    static final int FFT_SIZE = 512;
    static final int BANDS = 15;
    static final double LOWEST_CENTRE_HZ = 150;
    /** Frames in a segment (384 ms), N in the paper. */
    public static final int SEGMENT = 30;
    static final double DYNAMIC_RANGE_DB = 40;
    static final double CLIP = 1 + Math.pow(10, 15.0 / 20);
    /** NumPy's float eps, which pystoi adds to norms. */
    static final double EPS = Math.ulp(1.0);

    private static final double[] WINDOW = hann(FRAME);
    private static final int[][] BAND_BINS = bandBins();
    private static final Fft FFT = new Fft(FFT_SIZE);

    /** What STOI cannot score: too little speech for one segment of {@link #SEGMENT} frames. */
    public static final class TooShortException extends IllegalArgumentException {
        TooShortException(String message) {
            super(message);
        }
    }

    private Stoi() {
    }

    /** STOI of y against the clean x, both at sampleRate Hz and of equal length (see the class comment). */
    public static double stoi(float[] x, float[] y, int sampleRate) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("STOI: clean signal has " + x.length + " samples, processed "
                    + y.length);
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("STOI: sample rate " + sampleRate + " must be positive");
        }
        OctaveResampler resampler = OctaveResampler.of(sampleRate, RATE);
        double[] xs = resampler.resample(toDouble(x));
        double[] ys = resampler.resample(toDouble(y));
        double[][] kept = removeSilentFrames(xs, ys);
        double[][] xBands = bandEnvelopes(kept[0]);
        double[][] yBands = bandEnvelopes(kept[1]);
        int frames = xBands.length;
        if (frames < SEGMENT) {
            throw new TooShortException(String.format(java.util.Locale.ROOT, "STOI: %d frames of speech after"
                    + " removing silent frames (%d samples at %d Hz), one segment needs %d (about 0.4 s of speech)",
                    frames, x.length, sampleRate, SEGMENT));
        }
        double sum = 0;
        double[] xv = new double[SEGMENT];
        double[] yv = new double[SEGMENT];
        for (int m = SEGMENT; m <= frames; m++) {
            for (int j = 0; j < BANDS; j++) {
                for (int i = 0; i < SEGMENT; i++) {
                    xv[i] = xBands[m - SEGMENT + i][j];
                    yv[i] = yBands[m - SEGMENT + i][j];
                }
                sum += clippedCorrelation(xv, yv);
            }
        }
        return sum / ((double) (frames - SEGMENT + 1) * BANDS);
    }

    /**
     * d = (x - mean x)^T (y' - mean y') / ((||x - mean x|| + eps)(||y' - mean y'|| + eps)) with
     * y' = min(y ||x|| / (||y|| + eps), x CLIP) elementwise; modifies y (into y' - mean y') and x (into x - mean x).
     */
    static double clippedCorrelation(double[] x, double[] y) {
        double alpha = Math.sqrt(dot(x, x)) / (Math.sqrt(dot(y, y)) + EPS);
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.min(y[i] * alpha, x[i] * CLIP);
        }
        subtractMean(x);
        subtractMean(y);
        return dot(x, y) / ((Math.sqrt(dot(x, x)) + EPS) * (Math.sqrt(dot(y, y)) + EPS));
    }

    /**
     * Step 2 of the class comment: {x', y'}, the overlap-added windowed frames of x and y whose x-frame energy is
     * within 40 dB of the loudest; each (kept - 1) * 128 + 256 samples long (empty when no frame is kept).
     */
    static double[][] removeSilentFrames(double[] x, double[] y) {
        int frames = frameCount(x.length);
        double[] energyDb = new double[frames];
        double max = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < frames; f++) {
            double e = 0;
            for (int i = 0; i < FRAME; i++) {
                double v = WINDOW[i] * x[f * HOP + i];
                e += v * v;
            }
            energyDb[f] = 20 * Math.log10(Math.sqrt(e) + EPS);
            max = Math.max(max, energyDb[f]);
        }
        int kept = 0;
        for (int f = 0; f < frames; f++) {
            if (max - DYNAMIC_RANGE_DB - energyDb[f] < 0) {
                kept++;
            }
        }
        int length = kept == 0 ? 0 : (kept - 1) * HOP + FRAME;
        double[] xk = new double[length];
        double[] yk = new double[length];
        int k = 0;
        for (int f = 0; f < frames; f++) {
            if (max - DYNAMIC_RANGE_DB - energyDb[f] < 0) {
                for (int i = 0; i < FRAME; i++) {
                    xk[k * HOP + i] += WINDOW[i] * x[f * HOP + i];
                    yk[k * HOP + i] += WINDOW[i] * y[f * HOP + i];
                }
                k++;
            }
        }
        return new double[][] {xk, yk};
    }

    /** Step 3 of the class comment: [frame][band] one-third octave band magnitudes of the Hann-windowed STFT. */
    static double[][] bandEnvelopes(double[] x) {
        int frames = frameCount(x.length);
        double[][] out = new double[frames][BANDS];
        double[] re = new double[FFT_SIZE];
        double[] im = new double[FFT_SIZE];
        for (int f = 0; f < frames; f++) {
            java.util.Arrays.fill(re, 0);
            java.util.Arrays.fill(im, 0);
            for (int i = 0; i < FRAME; i++) {
                re[i] = WINDOW[i] * x[f * HOP + i];
            }
            FFT.transform(re, im);
            for (int j = 0; j < BANDS; j++) {
                double e = 0;
                for (int b = BAND_BINS[j][0]; b < BAND_BINS[j][1]; b++) {
                    e += re[b] * re[b] + im[b] * im[b];
                }
                out[f][j] = Math.sqrt(e);
            }
        }
        return out;
    }

    /** Frames starting at 0, HOP, ... with start + FRAME strictly below the length (pystoi's range()). */
    static int frameCount(int length) {
        return length <= FRAME ? 0 : (length - FRAME + HOP - 1) / HOP;
    }

    /** MATLAB's hanning(n): 0.5 - 0.5 cos(2 pi i / (n + 1)), i = 1..n (NumPy's hanning(n + 2) without its ends). */
    static double[] hann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 1) / (n + 1));
        }
        return w;
    }

    /** [band][lo, hi): the FFT bins of each one-third octave band, edges at the bins nearest the band edges. */
    static int[][] bandBins() {
        int[][] bins = new int[BANDS][];
        for (int j = 0; j < BANDS; j++) {
            double lo = LOWEST_CENTRE_HZ * Math.pow(2.0, (2.0 * j - 1) / 6);
            double hi = LOWEST_CENTRE_HZ * Math.pow(2.0, (2.0 * j + 1) / 6);
            bins[j] = new int[] {nearestBin(lo), nearestBin(hi)};
        }
        return bins;
    }

    /** The first bin f in 0..FFT_SIZE/2 minimizing |f RATE / FFT_SIZE - hz|. */
    private static int nearestBin(double hz) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int f = 0; f <= FFT_SIZE / 2; f++) {
            double d = f * ((double) RATE / FFT_SIZE) - hz;
            if (d * d < bestDistance) {
                bestDistance = d * d;
                best = f;
            }
        }
        return best;
    }

    private static void subtractMean(double[] v) {
        double mean = 0;
        for (double a : v) {
            mean += a;
        }
        mean /= v.length;
        for (int i = 0; i < v.length; i++) {
            v[i] -= mean;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
