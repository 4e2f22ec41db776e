package dev.pdq.operator;

import dev.pdq.blas.Blas;
import dev.pdq.quant.Quantizer;
import dev.pdq.solver.PrimalDual;
import dev.pdq.trace.StartupTrace;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An analysis operator K (k x n, row-major) with everything needed to run it: the bit depth and sample rate it
 * was made for, theta, the step ratio sigma/tau, the iteration count L it was trained with (the default L at
 * inference), the recommended number of shifts for cycle spinning, and free-text provenance.
 *
 * <p>Immutable: the constructor copies K and {@link #matrix()} returns a copy. Every field is checked against the
 * bounds below (the same ones the file reader enforces, see runtime/MODEL_FORMAT.md); the constructor throws
 * {@link IllegalArgumentException} naming the first field out of bounds.
 */
public final class Operator {
    public static final int MAX_DIMENSION = 4096;
    public static final int MAX_ELEMENTS = 1 << 22;
    public static final int MAX_SAMPLE_RATE = 384_000;
    public static final int MAX_ITERATIONS = 1_000_000;
    public static final double MIN_STEP_RATIO = 1e-6;
    public static final double MAX_STEP_RATIO = 1e6;
    public static final int MAX_PROVENANCE_BYTES = 64 * 1024;
    /** sigma/tau = 100 as in the paper's code: sigma = 10 * 0.99/||K||, tau = 0.1 * 0.99/||K||. */
    public static final double DEFAULT_STEP_RATIO = 100.0;

    private final int n;
    private final int k;
    private final int bits;
    private final int sampleRate;
    private final double theta;
    private final double stepRatio;
    private final int trainedIterations;
    private final int shifts;
    private final String provenance;
    private final float[] matrix;
    private final double spectralNorm;

    /**
     * @param matrix K, k x n row-major (copied)
     * @throws IllegalArgumentException naming the first field out of bounds
     */
    public Operator(int n, int k, int bits, int sampleRate, double theta, double stepRatio, int trainedIterations,
                    int shifts, String provenance, float[] matrix) {
        require("n", checkDimension(n));
        require("k", checkDimension(k));
        require("k*n", checkElements(k, n));
        require("bits", checkBits(bits));
        require("sampleRate", checkSampleRate(sampleRate));
        require("theta", checkTheta(theta));
        require("stepRatio", checkStepRatio(stepRatio));
        require("trainedIterations", checkIterations(trainedIterations));
        require("shifts", checkShifts(shifts, n));
        Objects.requireNonNull(provenance, "provenance");
        require("provenance", checkProvenance(utf8(provenance)));
        Objects.requireNonNull(matrix, "matrix");
        require("matrix", matrix.length == k * n ? null
                : "has " + matrix.length + " elements, k*n = " + (k * n));
        for (int i = 0; i < matrix.length; i++) {
            if (!Float.isFinite(matrix[i])) {
                require("matrix", "K[" + i / n + "][" + i % n + "] = " + matrix[i] + " is not finite");
            }
        }
        this.n = n;
        this.k = k;
        this.bits = bits;
        this.sampleRate = sampleRate;
        this.theta = theta;
        this.stepRatio = stepRatio;
        this.trainedIterations = trainedIterations;
        this.shifts = shifts;
        this.provenance = provenance;
        this.matrix = matrix.clone();
        this.spectralNorm = spectralNorm(this.matrix, k, n);
        require("matrix", checkSteps(spectralNorm, stepRatio));
    }

    /** For the file reader, which has checked every field already: takes K without copying, and its norm. */
    private Operator(int n, int k, int bits, int sampleRate, double theta, double stepRatio, int trainedIterations,
                     int shifts, String provenance, float[] ownedMatrix, double spectralNorm) {
        this.n = n;
        this.k = k;
        this.bits = bits;
        this.sampleRate = sampleRate;
        this.theta = theta;
        this.stepRatio = stepRatio;
        this.trainedIterations = trainedIterations;
        this.shifts = shifts;
        this.provenance = provenance;
        this.matrix = ownedMatrix;
        this.spectralNorm = spectralNorm;
    }

    static Operator checked(int n, int k, int bits, int sampleRate, double theta, double stepRatio,
                            int trainedIterations, int shifts, String provenance, float[] ownedMatrix,
                            double spectralNorm) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, provenance,
                ownedMatrix, spectralNorm);
    }

    /** The orthonormal DCT-II (k = n), theta = 1, sigma/tau = 100, one shift. */
    public static Operator dct(int n, int bits, int sampleRate, int iterations) {
        return new Operator(n, n, bits, sampleRate, 1.0, DEFAULT_STEP_RATIO, iterations, 1,
                "orthonormal DCT-II, n = " + n, Dct.orthonormalDct2(n));
    }

    public Operator withMatrix(float[] newMatrix, String newProvenance) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, newProvenance,
                newMatrix);
    }

    public Operator withTrainedIterations(int iterations) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, iterations, shifts, provenance, matrix);
    }

    public Operator withShifts(int newShifts) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, newShifts, provenance,
                matrix);
    }

    public Operator withProvenance(String newProvenance) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, newProvenance,
                matrix);
    }

    /**
     * A solver for this operator: K copied into the backend's memory, steps from the ratio and this operator's ||K||
     * (computed in double when it was made or read; the solver does not estimate it again).
     */
    public PrimalDual newSolver(Blas blas, int maxBatch) {
        PrimalDual pd = new PrimalDual(blas, n, k, maxBatch, (float) theta, stepRatio);
        pd.setOperator(matrix, 0, spectralNorm);
        StartupTrace.mark("solver allocated, K set");
        return pd;
    }

    /** The quantizer of this operator's bit depth. */
    public Quantizer quantizer() {
        return new Quantizer(bits);
    }

    /** Frame length (columns of K). */
    public int n() {
        return n;
    }

    /** Number of analysis coefficients (rows of K). */
    public int k() {
        return k;
    }

    public int bits() {
        return bits;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public double theta() {
        return theta;
    }

    /** sigma / tau. */
    public double stepRatio() {
        return stepRatio;
    }

    /** L it was trained with: the default number of iterations at inference. */
    public int trainedIterations() {
        return trainedIterations;
    }

    /** Recommended number of shifts for cycle spinning (1: none). */
    public int shifts() {
        return shifts;
    }

    public String provenance() {
        return provenance;
    }

    /** A copy of K (k x n row-major). */
    public float[] matrix() {
        return matrix.clone();
    }

    /** K[row][col]. */
    public float get(int row, int col) {
        return matrix[row * n + col];
    }

    /** ||K||_2, computed in double (Lanczos) when this operator was made or read; its solvers take it as is. */
    public double spectralNorm() {
        return spectralNorm;
    }

    /** sigma = sqrt(ratio) * 0.99/||K|| (as the solver computes it, from this class's double-precision norm). */
    public double sigma() {
        return Math.sqrt(stepRatio) * PrimalDual.SAFETY / spectralNorm;
    }

    /** tau = 0.99/(sqrt(ratio) * ||K||). */
    public double tau() {
        return PrimalDual.SAFETY / (Math.sqrt(stepRatio) * spectralNorm);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Operator)) {
            return false;
        }
        Operator that = (Operator) o;
        return n == that.n && k == that.k && bits == that.bits && sampleRate == that.sampleRate
                && Double.compare(theta, that.theta) == 0 && Double.compare(stepRatio, that.stepRatio) == 0
                && trainedIterations == that.trainedIterations && shifts == that.shifts
                && provenance.equals(that.provenance) && Arrays.equals(matrix, that.matrix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, provenance,
                Arrays.hashCode(matrix));
    }

    @Override
    public String toString() {
        return "Operator(" + k + " x " + n + ", " + bits + " bits, " + sampleRate + " Hz, theta = " + theta
                + ", sigma/tau = " + stepRatio + ", L = " + trainedIterations + ", shifts = " + shifts
                + ", ||K|| = " + spectralNorm + ")";
    }

    // ---- bounds, shared with the file reader: each returns null when the value is fine, else what is wrong ----

    static String checkDimension(int d) {
        return d >= 1 && d <= MAX_DIMENSION ? null : "= " + d + " not in 1.." + MAX_DIMENSION;
    }

    static String checkElements(int k, int n) {
        return (long) k * n <= MAX_ELEMENTS ? null
                : "= " + ((long) k * n) + " exceeds " + MAX_ELEMENTS;
    }

    static String checkBits(int b) {
        return b >= Quantizer.MIN_BITS && b <= Quantizer.MAX_BITS ? null
                : "= " + b + " not in " + Quantizer.MIN_BITS + ".." + Quantizer.MAX_BITS;
    }

    static String checkSampleRate(int rate) {
        return rate >= 1 && rate <= MAX_SAMPLE_RATE ? null : "= " + rate + " not in 1.." + MAX_SAMPLE_RATE;
    }

    static String checkTheta(double t) {
        return t >= 0 && t <= 1 ? null : "= " + t + " not in [0, 1]";
    }

    static String checkStepRatio(double ratio) {
        return ratio >= MIN_STEP_RATIO && ratio <= MAX_STEP_RATIO ? null
                : "= " + ratio + " not in [" + MIN_STEP_RATIO + ", " + MAX_STEP_RATIO + "]";
    }

    static String checkIterations(int l) {
        return l >= 1 && l <= MAX_ITERATIONS ? null : "= " + l + " not in 1.." + MAX_ITERATIONS;
    }

    static String checkShifts(int s, int n) {
        return s >= 1 && s <= n ? null : "= " + s + " not in 1..n = " + n;
    }

    static String checkProvenance(byte[] utf8) {
        return utf8.length <= MAX_PROVENANCE_BYTES ? null
                : "is " + utf8.length + " bytes, more than " + MAX_PROVENANCE_BYTES;
    }

    static String checkProvenanceLength(int length) {
        return length >= 0 && length <= MAX_PROVENANCE_BYTES ? null
                : "length = " + length + " not in 0.." + MAX_PROVENANCE_BYTES;
    }

    /**
     * Valid step sizes exist: ||K|| finite and positive, sigma and tau normal floats, sigma*tau*||K||^2 < 1 with
     * the float steps the solver will use.
     */
    static String checkSteps(double norm, double ratio) {
        if (!(norm > 0) || !Double.isFinite(norm)) {
            return "has spectral norm " + norm + ": no step sizes with sigma*tau*||K||^2 < 1";
        }
        float sigma = (float) (Math.sqrt(ratio) * PrimalDual.SAFETY / norm);
        float tau = (float) (PrimalDual.SAFETY / (Math.sqrt(ratio) * norm));
        boolean normal = Float.isFinite(sigma) && Float.isFinite(tau)
                && sigma >= Float.MIN_NORMAL && tau >= Float.MIN_NORMAL;
        double product = (double) sigma * tau * norm * norm;
        if (!normal || !(product < 1)) {
            return "has spectral norm " + norm + ": sigma = " + sigma + ", tau = " + tau
                    + " give sigma*tau*||K||^2 = " + product + " (need normal floats and a product < 1)";
        }
        return null;
    }

    static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Operator: provenance is not valid Unicode (unpaired surrogate)", e);
        }
    }

    /** Lanczos steps at most (and at most n): bounds the basis kept for reorthogonalization to 300 x n doubles. */
    static final int MAX_LANCZOS_STEPS = 300;
    /** The Lanczos estimate is taken as converged when a step changes it by at most this much (relative). */
    static final double LANCZOS_TOLERANCE = 1e-13;

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
    static double spectralNorm(float[] a, int k, int n) {
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
    static double largestEigenvalue(double[] d, double[] e, int m, double floor) {
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

    private static void require(String field, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException("Operator: " + field + " " + problem);
        }
    }
}
