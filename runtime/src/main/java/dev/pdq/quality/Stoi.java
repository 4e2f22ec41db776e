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
 *
 * <p>{@link #stoi} scores one pair; {@link #of} prepares a clean signal once (steps 1 to 3 for x, and the frames
 * step 2 keeps, which depend on x alone) and {@link #score} scores processed versions of it.
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

    private final int sampleRate;
    private final int length;
    private final OctaveResampler resampler;
    /** Per frame of the resampled signal (step 2): whether the clean signal's frame is kept. */
    private final boolean[] kept;
    private final int keptFrames;
    /** [frame][band] X_j(m) of the clean signal (step 3). */
    private final double[][] cleanBands;

    /** What STOI cannot score: too little speech for one segment of {@link #SEGMENT} frames. */
    public static final class TooShortException extends IllegalArgumentException {
        TooShortException(String message) {
            super(message);
        }
    }

    private Stoi(float[] clean, int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("STOI: sample rate " + sampleRate + " must be positive");
        }
        this.sampleRate = sampleRate;
        this.length = clean.length;
        resampler = OctaveResampler.of(sampleRate, RATE);
        double[] x = resampler.resample(toDouble(clean));
        kept = loudFrames(x);
        int k = 0;
        for (boolean b : kept) {
            k += b ? 1 : 0;
        }
        keptFrames = k;
        cleanBands = bandEnvelopes(overlapAddKept(x));
        if (cleanBands.length < SEGMENT) {
            throw new TooShortException(String.format(java.util.Locale.ROOT, "STOI: %d frames of speech after"
                    + " removing silent frames (%d samples at %d Hz), one segment needs %d (about 0.4 s of speech)",
                    cleanBands.length, clean.length, sampleRate, SEGMENT));
        }
    }

    /**
     * The clean signal x at sampleRate Hz prepared for scoring (steps 1 to 3 done for x; x is not kept): scoring
     * several signals against one reference costs about half as much. Immutable and thread-safe.
     *
     * @throws TooShortException when x has too little speech for one segment
     */
    public static Stoi of(float[] clean, int sampleRate) {
        return new Stoi(clean, sampleRate);
    }

    /** STOI of y against the clean x, both at sampleRate Hz and of equal length (see the class comment). */
    public static double stoi(float[] x, float[] y, int sampleRate) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("STOI: clean signal has " + x.length + " samples, processed "
                    + y.length);
        }
        return of(x, sampleRate).score(y);
    }

    /** STOI of y (as long as the clean signal, at its rate) against the clean signal; y is not modified. */
    public double score(float[] y) {
        if (y.length != length) {
            throw new IllegalArgumentException("STOI: clean signal has " + length + " samples, processed "
                    + y.length);
        }
        double[][] yBands = bandEnvelopes(overlapAddKept(resampler.resample(toDouble(y))));
        int frames = cleanBands.length;
        double sum = 0;
        double[] xv = new double[SEGMENT];
        double[] yv = new double[SEGMENT];
        for (int m = SEGMENT; m <= frames; m++) {
            for (int j = 0; j < BANDS; j++) {
                for (int i = 0; i < SEGMENT; i++) {
                    xv[i] = cleanBands[m - SEGMENT + i][j];
                    yv[i] = yBands[m - SEGMENT + i][j];
                }
                sum += clippedCorrelation(xv, yv);
            }
        }
        return sum / ((double) (frames - SEGMENT + 1) * BANDS);
    }

    /** The clean signal's sample rate, Hz. */
    public int sampleRate() {
        return sampleRate;
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
     * Step 2's decision, on the clean signal x (10 kHz): frame f (samples 128 f .. 128 f + 255, windowed) is kept
     * when 20 log10(||w x_f|| + eps) exceeds the loudest frame's level minus 40 dB.
     */
    static boolean[] loudFrames(double[] x) {
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
        boolean[] kept = new boolean[frames];
        for (int f = 0; f < frames; f++) {
            kept[f] = max - DYNAMIC_RANGE_DB - energyDb[f] < 0;
        }
        return kept;
    }

    /**
     * Step 2's signal: the kept windowed frames of x (10 kHz, as long as the clean one) overlap-added at hop 128,
     * (kept - 1) 128 + 256 samples (none when no frame is kept); x is not modified.
     */
    private double[] overlapAddKept(double[] x) {
        double[] out = new double[keptFrames == 0 ? 0 : (keptFrames - 1) * HOP + FRAME];
        int k = 0;
        for (int f = 0; f < kept.length; f++) {
            if (kept[f]) {
                for (int i = 0; i < FRAME; i++) {
                    out[k * HOP + i] += WINDOW[i] * x[f * HOP + i];
                }
                k++;
            }
        }
        return out;
    }

    /** Step 3 of the class comment: [frame][band] one-third octave band magnitudes of the Hann-windowed STFT. */
    static double[][] bandEnvelopes(double[] x) {
        int frames = frameCount(x.length);
        double[][] out = new double[frames][BANDS];
        RealFft fft = new RealFft(FFT_SIZE);
        double[] frame = new double[FRAME];
        double[] power = new double[FFT_SIZE / 2 + 1];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < FRAME; i++) {
                frame[i] = WINDOW[i] * x[f * HOP + i];
            }
            fft.powerSpectrum(frame, 0, FRAME, power);
            for (int j = 0; j < BANDS; j++) {
                double e = 0;
                for (int b = BAND_BINS[j][0]; b < BAND_BINS[j][1]; b++) {
                    e += power[b];
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
