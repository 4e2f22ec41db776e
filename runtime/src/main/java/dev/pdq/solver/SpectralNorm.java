package dev.pdq.solver;

/**
 * The spectral norm ||K||_2 of a k x n row-major matrix, by power iteration on K^T K in double precision: the one
 * estimate the runtime (operator loading) and the trainer (before every step) share.
 *
 * <pre>
 *   v = K^T K v / ||K^T K v||   until ||K^T K v||^(1/2) changes by at most relTol (relative), or the cap
 * </pre>
 *
 * An instance keeps its vector between calls, so re-estimating after a small update of K (a training step) takes a
 * few iterations; its vector is part of a training checkpoint ({@link #vector()}, {@link #restore}). The first call
 * starts from a fixed vector. {@link #of} is the one-off estimate of a loaded operator, from K's longest row, to
 * {@link #PRECISE_TOL}:
 * it forms K^T K once (n^2 a step instead of 2kn), which pays when many iterations are needed (close top singular
 * values). Not thread-safe.
 */
public final class SpectralNorm {
    /** Relative change at which a warm-started estimate stops. */
    public static final double REL_TOL = 1e-7;
    public static final int MAX_ITERATIONS = 10_000;
    /** Relative change at which the one-off estimate of {@link #of} stops, and its cap. */
    public static final double PRECISE_TOL = 1e-10;
    public static final int PRECISE_MAX_ITERATIONS = 1000;

    private final int k;
    private final int n;
    private final double[] v;
    private final double[] w;
    private final double[] u;
    private boolean started;

    public SpectralNorm(int k, int n) {
        this.k = k;
        this.n = n;
        this.v = new double[n];
        this.w = new double[n];
        this.u = new double[k];
    }

    /** Floats of workspace (its doubles counted twice). */
    public long workspaceFloats() {
        return 2L * (2L * n + k);
    }

    /**
     * ||K||_2 of K = a[off .. off + k*n), warm-started from the last call's vector (or a fixed one). Modifies
     * this object's vector only. Returns 0 for K = 0 and NaN or infinity for a K that is not finite.
     */
    public double estimate(float[] a, int off, double relTol, int maxIterations) {
        if (!started || !(norm(v) > 0)) {
            // a fixed, non-special start: every component non-zero, not aligned with DCT rows
            for (int j = 0; j < n; j++) {
                v[j] = 1.0 + 0.5 * Math.sin(1.3 * j + 0.7);
            }
            double len = norm(v);
            for (int j = 0; j < n; j++) {
                v[j] /= len;
            }
            started = true;
        }
        return iterate(v, w, relTol, maxIterations, (src, dst) -> {
            for (int i = 0; i < k; i++) {
                double s = 0;
                int row = off + i * n;
                for (int j = 0; j < n; j++) {
                    s += a[row + j] * src[j];
                }
                u[i] = s;
            }
            java.util.Arrays.fill(dst, 0);
            for (int i = 0; i < k; i++) {
                double ui = u[i];
                int row = off + i * n;
                for (int j = 0; j < n; j++) {
                    dst[j] += a[row + j] * ui;
                }
            }
        });
    }

    /** ||K||_2 of K (k x n) to {@link #PRECISE_TOL}, from K's longest row, through K^T K formed once. */
    public static double of(float[] a, int k, int n) {
        double[] v = new double[n];
        double longest = longestRow(a, 0, k, n, v);
        if (!(longest > 0)) {
            return longest == 0 ? 0 : Double.NaN;
        }
        double[] gram = gram(a, k, n);
        return iterate(v, new double[n], PRECISE_TOL, PRECISE_MAX_ITERATIONS, (src, dst) -> {
            for (int i = 0; i < n; i++) {
                double s = 0;
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    s += gram[row + j] * src[j];
                }
                dst[i] = s;
            }
        });
    }

    /** dst = K^T K src. */
    private interface Gram {
        void apply(double[] src, double[] dst);
    }

    /** The power iteration, from a unit v (modified; w is scratch): returns the estimate. */
    private static double iterate(double[] v, double[] w, double relTol, int maxIterations, Gram gram) {
        double estimate = 0;
        for (int it = 0; it < maxIterations; it++) {
            gram.apply(v, w);
            double len = norm(w);
            double next = Math.sqrt(len); // ||K^T K v|| -> sigma_max^2
            if (!(next > 0) || !Double.isFinite(next)) {
                return next;
            }
            for (int j = 0; j < v.length; j++) {
                v[j] = w[j] / len;
            }
            boolean done = it > 0 && Math.abs(next - estimate) <= relTol * next;
            estimate = next;
            if (done) {
                break;
            }
        }
        return estimate;
    }

    /** Writes K's longest row, normalized, into v; returns its squared length (0 for K = 0, NaN if not finite). */
    private static double longestRow(float[] a, int off, int k, int n, double[] v) {
        int best = 0;
        double bestNorm = -1;
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                double e = a[off + i * n + j];
                s += e * e;
            }
            if (!Double.isFinite(s)) {
                return Double.NaN;
            }
            if (s > bestNorm) {
                bestNorm = s;
                best = i;
            }
        }
        if (bestNorm > 0) {
            double inv = 1 / Math.sqrt(bestNorm);
            for (int j = 0; j < n; j++) {
                v[j] = a[off + best * n + j] * inv;
            }
        }
        return bestNorm;
    }

    /** K^T K (n x n, row-major) in double, from K (k x n, row-major). */
    private static double[] gram(float[] a, int k, int n) {
        double[] g = new double[n * n];
        double[] row = new double[n];
        for (int r = 0; r < k; r++) {
            for (int j = 0; j < n; j++) {
                row[j] = a[r * n + j];
            }
            for (int i = 0; i < n; i++) {
                double ri = row[i];
                if (ri == 0) {
                    continue;
                }
                for (int j = i; j < n; j++) {
                    g[i * n + j] += ri * row[j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                g[i * n + j] = g[j * n + i];
            }
        }
        return g;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double e : x) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    /** A copy of the warm-start vector (for checkpoints). */
    public double[] vector() {
        return v.clone();
    }

    /** Restores the warm-start vector (from a checkpoint). */
    public void restore(double[] vector) {
        if (vector.length != n) {
            throw new IllegalArgumentException("norm vector has " + vector.length + " values, needs " + n);
        }
        System.arraycopy(vector, 0, v, 0, n);
        started = true;
    }
}
