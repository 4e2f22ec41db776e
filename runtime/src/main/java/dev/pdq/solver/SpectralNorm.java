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

    private static double norm(double[] x) {
        double s = 0;
        for (double e : x) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    /** Lanczos steps at most (and at most n): bounds the basis kept for reorthogonalization to 300 x n doubles. */
    public static final int MAX_LANCZOS_STEPS = 300;
    /** The Lanczos estimate is taken as converged when a step changes it by at most this much (relative). */
    public static final double LANCZOS_TOLERANCE = 1e-13;

    /**
     * ||K||_2 = sqrt(lambda_max(A)), A = K^T K, by the Lanczos process on A in double with full
     * reorthogonalization. q_1 is the row of K with the largest norm, normalized (K does not annihilate it: K q_1
     * has that row's norm as a component, so the result is 0 only for K = 0). Step j: w = K^T (K q_j),
     * alpha_j = q_j . w, w is orthogonalized against q_1..q_j twice, beta_j = ||w||, q_{j+1} = w / beta_j; the
     * estimate is the largest eigenvalue theta_j of the tridiagonal T_j (alpha on the diagonal, beta beside it).
     * theta_j never decreases and never exceeds lambda_max; the Krylov space of j steps holds the j-th iterate of
     * power iteration from the same start, so theta_j is at least that iterate's Rayleigh quotient, and it gets
     * there in far fewer steps: 45 to 84 for the built-in models, where power iteration took 300 to over 1000,
     * each step costing 2kn multiply-adds either way. Stops when theta_j changes by at most
     * {@link #LANCZOS_TOLERANCE} (relative), when beta_j vanishes (the space is invariant under A: theta_j is
     * exact), or after min(n, {@link #MAX_LANCZOS_STEPS}) steps. Reads only {@code a}.
     */
    public static double of(float[] a, int k, int n) {
        int best = 0;
        double bestNorm = -1;
        for (int i = 0; i < k; i++) {
            double s = dot(a, i * n, a, i * n, n);
            if (s > bestNorm) {
                bestNorm = s;
                best = i;
            }
        }
        if (!(bestNorm > 0)) {
            return bestNorm == 0 ? 0 : Double.NaN;
        }
        int maxSteps = Math.min(n, MAX_LANCZOS_STEPS);
        double[][] basis = new double[maxSteps][];
        double[] alpha = new double[maxSteps];
        double[] beta = new double[maxSteps];
        double[] q = new double[n];
        double inv = 1 / Math.sqrt(bestNorm);
        for (int j = 0; j < n; j++) {
            q[j] = a[best * n + j] * inv;
        }
        double theta = 0;
        for (int step = 0; step < maxSteps; step++) {
            basis[step] = q;
            double[] w = new double[n]; // w = K^T (K q): K read once a step, four rows at a time
            int i = 0;
            for (; i + 3 < k; i += 4) {
                addRowProducts4(a, i * n, n, q, w);
            }
            for (; i < k; i++) {
                axpy(dot(a, i * n, q, n), a, i * n, w, n);
            }
            alpha[step] = dot(q, w, n);
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p <= step; p++) {
                    axpy(-dot(basis[p], w, n), basis[p], w, n);
                }
            }
            double b = Math.sqrt(dot(w, w, n));
            beta[step] = b;
            double next = largestEigenvalue(alpha, beta, step + 1, theta);
            if (!Double.isFinite(next)) {
                return next;
            }
            boolean done = step > 0 && next - theta <= LANCZOS_TOLERANCE * next || !(b > 1e-15 * next);
            theta = next;
            if (done) {
                break;
            }
            scale(w, 1 / b);
            q = w;
        }
        return Math.sqrt(theta);
    }

    /**
     * The largest eigenvalue of the symmetric tridiagonal matrix with diagonal {@code d[0..m)} and off-diagonal
     * {@code e[0..m-1)}, by bisection on Sturm counts (the number of negative pivots of T - x I is the number of
     * eigenvalues below x) down to adjacent doubles, between {@code floor} (a value known not to exceed it) and
     * Gershgorin's upper bound.
     */
    public static double largestEigenvalue(double[] d, double[] e, int m, double floor) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            double r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < m - 1 ? Math.abs(e[i]) : 0);
            lo = Math.min(lo, d[i] - r);
            hi = Math.max(hi, d[i] + r);
        }
        lo = Math.max(lo, Math.min(floor, hi));
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            return Double.NaN;
        }
        while (true) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                return hi;
            }
            if (eigenvaluesBelow(d, e, m, mid) == m) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
    }

    /** How many eigenvalues of the tridiagonal (d, e) lie below x: the negative pivots of LDL^T = T - x I. */
    private static int eigenvaluesBelow(double[] d, double[] e, int m, double x) {
        int count = 0;
        double pivot = 1;
        for (int i = 0; i < m; i++) {
            pivot = d[i] - x - (i > 0 ? e[i - 1] * e[i - 1] / pivot : 0);
            if (pivot == 0) {
                pivot = -Double.MIN_NORMAL; // x is an eigenvalue of the leading block: count it as below
            }
            if (pivot < 0) {
                count++;
            }
        }
        return count;
    }

    // The dot products keep four partial sums: one sum is a chain of dependent additions, each waiting for the
    // last (four cycles apiece), which is most of their time in code that is not yet vectorized (C1, or C2 on a
    // reduction). The sums differ from a plain loop's in rounding only.

    /** sum_j a[off + j] * b[off2 + j], j < len, in double. */
    private static double dot(float[] a, int off, float[] b, int off2, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += (double) a[off + j] * b[off2 + j];
            s1 += (double) a[off + j + 1] * b[off2 + j + 1];
            s2 += (double) a[off + j + 2] * b[off2 + j + 2];
            s3 += (double) a[off + j + 3] * b[off2 + j + 3];
        }
        for (; j < len; j++) {
            s0 += (double) a[off + j] * b[off2 + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** sum_j a[off + j] * v[j], j < len. */
    private static double dot(float[] a, int off, double[] v, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[off + j] * v[j];
            s1 += a[off + j + 1] * v[j + 1];
            s2 += a[off + j + 2] * v[j + 2];
            s3 += a[off + j + 3] * v[j + 3];
        }
        for (; j < len; j++) {
            s0 += a[off + j] * v[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** sum_j x[j] * y[j], j < len. */
    private static double dot(double[] x, double[] y, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += x[j] * y[j];
            s1 += x[j + 1] * y[j + 1];
            s2 += x[j + 2] * y[j + 2];
            s3 += x[j + 3] * y[j + 3];
        }
        for (; j < len; j++) {
            s0 += x[j] * y[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * w += sum over the four rows K_r at a[off + r n .. off + (r + 1) n), r = 0..3, of (K_r . q) K_r: four rows of
     * K^T (K q) with one pass over q and one over w, which halves the time of one row at a time in C1 code (loads and
     * stores of q and w shared, four independent sums). Modifies w only.
     */
    private static void addRowProducts4(float[] a, int off, int n, double[] q, double[] w) {
        int o1 = off + n;
        int o2 = o1 + n;
        int o3 = o2 + n;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int j = 0; j < n; j++) {
            double qj = q[j];
            s0 += a[off + j] * qj;
            s1 += a[o1 + j] * qj;
            s2 += a[o2 + j] * qj;
            s3 += a[o3 + j] * qj;
        }
        for (int j = 0; j < n; j++) {
            w[j] += s0 * a[off + j] + s1 * a[o1 + j] + s2 * a[o2 + j] + s3 * a[o3 + j];
        }
    }

    /** y[0..len) += c * a[off..off+len). */
    private static void axpy(double c, float[] a, int off, double[] y, int len) {
        if (c == 0) {
            return;
        }
        for (int j = 0; j < len; j++) {
            y[j] += c * a[off + j];
        }
    }

    /** y[0..len) += c * x[0..len). */
    private static void axpy(double c, double[] x, double[] y, int len) {
        for (int j = 0; j < len; j++) {
            y[j] += c * x[j];
        }
    }

    private static void scale(double[] v, double s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
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
