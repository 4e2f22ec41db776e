package dev.pdq.operator;

import dev.pdq.blas.Blas;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.Scheme;
import dev.pdq.solver.BatchSolver;
import dev.pdq.solver.FrameParallelSolver;
import dev.pdq.solver.PrimalDual;
import dev.pdq.solver.SpectralNorm;
import dev.pdq.solver.StepSizes;

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
    private final Scheme scheme;
    private final int blockLength;

    /**
     * An operator for the uniform grid.
     *
     * @param matrix K, k x n row-major (copied)
     * @throws IllegalArgumentException naming the first field out of bounds
     */
    public Operator(int n, int k, int bits, int sampleRate, double theta, double stepRatio, int trainedIterations,
                    int shifts, String provenance, float[] matrix) {
        this(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, Scheme.UNIFORM, 0, provenance,
                matrix);
    }

    /**
     * @param scheme      the node quantizer the operator is for
     * @param blockLength the scheme's gain block length (BFP), 0 for the others
     * @param matrix      K, k x n row-major (copied)
     * @throws IllegalArgumentException naming the first field out of bounds
     */
    public Operator(int n, int k, int bits, int sampleRate, double theta, double stepRatio, int trainedIterations,
                    int shifts, Scheme scheme, int blockLength, String provenance, float[] matrix) {
        this(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, scheme, blockLength, provenance,
                checkedCopy(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, scheme, blockLength,
                        provenance, matrix), Double.NaN);
    }

    /**
     * Takes K without copying. For the file reader, which has checked every field already and passes the norm;
     * for the public constructor, with the norm NaN: computed here and the step sizes checked against it.
     */
    private Operator(int n, int k, int bits, int sampleRate, double theta, double stepRatio, int trainedIterations,
                     int shifts, Scheme scheme, int blockLength, String provenance, float[] ownedMatrix,
                     double spectralNorm) {
        this.n = n;
        this.k = k;
        this.bits = bits;
        this.sampleRate = sampleRate;
        this.theta = theta;
        this.stepRatio = stepRatio;
        this.trainedIterations = trainedIterations;
        this.shifts = shifts;
        this.scheme = scheme;
        this.blockLength = blockLength;
        this.provenance = provenance;
        this.matrix = ownedMatrix;
        if (Double.isNaN(spectralNorm)) {
            this.spectralNorm = SpectralNorm.of(ownedMatrix, k, n);
            require("matrix", checkSteps(this.spectralNorm, stepRatio));
        } else {
            this.spectralNorm = spectralNorm;
        }
    }

    /** Every field checked, the first out of bounds named (IllegalArgumentException); a copy of K. */
    private static float[] checkedCopy(int n, int k, int bits, int sampleRate, double theta, double stepRatio,
                                       int trainedIterations, int shifts, Scheme scheme, int blockLength,
                                       String provenance, float[] matrix) {
        require("n", checkDimension(n));
        require("k", checkDimension(k));
        require("k*n", checkElements(k, n));
        require("bits", checkBits(bits));
        require("sampleRate", checkSampleRate(sampleRate));
        require("theta", checkTheta(theta));
        require("stepRatio", checkStepRatio(stepRatio));
        require("trainedIterations", checkIterations(trainedIterations));
        require("shifts", checkShifts(shifts, n));
        Objects.requireNonNull(scheme, "scheme");
        require("scheme", checkScheme(scheme, bits, blockLength));
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
        return matrix.clone();
    }

    static Operator checked(int n, int k, int bits, int sampleRate, double theta, double stepRatio,
                            int trainedIterations, int shifts, Scheme scheme, int blockLength, String provenance,
                            float[] ownedMatrix, double spectralNorm) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, scheme, blockLength,
                provenance, ownedMatrix, spectralNorm);
    }

    /** The orthonormal DCT-II (k = n), theta = 1, sigma/tau = 100, one shift. */
    public static Operator dct(int n, int bits, int sampleRate, int iterations) {
        return new Operator(n, n, bits, sampleRate, StepSizes.PAPER_THETA, StepSizes.PAPER_RATIO, iterations, 1,
                "orthonormal DCT-II, n = " + n, Dct.orthonormalDct2(n));
    }

    public Operator withMatrix(float[] newMatrix, String newProvenance) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, scheme, blockLength,
                newProvenance, newMatrix);
    }

    public Operator withTrainedIterations(int iterations) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, iterations, shifts, scheme, blockLength,
                provenance, matrix);
    }

    public Operator withShifts(int newShifts) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, newShifts, scheme,
                blockLength, provenance, matrix);
    }

    public Operator withProvenance(String newProvenance) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, scheme, blockLength,
                newProvenance, matrix);
    }

    /** The same operator for another node quantizer (the trainer records what it trained for). */
    public Operator withScheme(Scheme newScheme, int newBlockLength) {
        return new Operator(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, newScheme,
                newBlockLength, provenance, matrix);
    }

    /** A solver for this operator: K copied into the backend's memory, steps from ||K|| and the ratio. */
    public PrimalDual newSolver(Blas blas, int maxBatch) {
        PrimalDual pd = new PrimalDual(blas, n, k, maxBatch, (float) theta, stepRatio);
        pd.setOperator(matrix, 0, spectralNorm);
        return pd;
    }

    /**
     * A solver for batches of up to maxBatch frames split over {@code threads} threads: {@link #newSolver} for one
     * (or a batch of one frame), else a {@link FrameParallelSolver} of min(threads, maxBatch) such solvers, a share
     * of the frames each (close it to stop its threads).
     */
    public BatchSolver newSolver(Blas blas, int maxBatch, int threads) {
        int parts = FrameParallelSolver.parts(threads, maxBatch);
        if (parts == 1) {
            return newSolver(blas, maxBatch);
        }
        PrimalDual[] p = new PrimalDual[parts];
        for (int w = 0; w < parts; w++) {
            p[w] = newSolver(blas, FrameParallelSolver.share(maxBatch, parts));
        }
        return new FrameParallelSolver(p, maxBatch);
    }

    /** The quantizer of this operator's bit depth. */
    public Quantizer quantizer() {
        return new Quantizer(bits);
    }

    /**
     * The nominal half width of the cells of this operator's scheme at full scale: the unit frames are scaled
     * against ({@link dev.pdq.quant.FrameScale}): r = 2^-bits of the grid for the uniform grid and BFP, 1/16 for IMA
     * ADPCM.
     */
    public float unit() {
        return NodeQuantizers.of(this).nominalHalfWidth();
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

    /** The node quantizer this operator was made for. */
    public Scheme scheme() {
        return scheme;
    }

    /** The scheme's gain block length in samples (BFP), 0 for the others. */
    public int blockLength() {
        return blockLength;
    }

    /** A copy of K (k x n row-major). */
    public float[] matrix() {
        return matrix.clone();
    }

    /** K[row][col]. */
    public float get(int row, int col) {
        return matrix[row * n + col];
    }

    /** ||K||_2, by power iteration in double. */
    public double spectralNorm() {
        return spectralNorm;
    }

    /** sigma = sqrt(ratio) * 0.99/||K|| (as the solver computes it, from this class's double-precision norm). */
    public double sigma() {
        return Math.sqrt(stepRatio) * StepSizes.SAFETY / spectralNorm;
    }

    /** tau = 0.99/(sqrt(ratio) * ||K||). */
    public double tau() {
        return StepSizes.SAFETY / (Math.sqrt(stepRatio) * spectralNorm);
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
                && trainedIterations == that.trainedIterations && shifts == that.shifts && scheme == that.scheme
                && blockLength == that.blockLength && provenance.equals(that.provenance)
                && Arrays.equals(matrix, that.matrix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(n, k, bits, sampleRate, theta, stepRatio, trainedIterations, shifts, scheme, blockLength,
                provenance, Arrays.hashCode(matrix));
    }

    @Override
    public String toString() {
        return "Operator(" + k + " x " + n + ", " + bits + " bits, " + sampleRate + " Hz, theta = " + theta
                + ", sigma/tau = " + stepRatio + ", L = " + trainedIterations + ", shifts = " + shifts
                + ", scheme = " + scheme + (blockLength > 0 ? " (blocks of " + blockLength + ")" : "")
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

    /** The scheme's own fields: BFP has a gain block of 1..MAX_DIMENSION samples, IMA ADPCM is 4 bits. */
    static String checkScheme(Scheme scheme, int bits, int blockLength) {
        return switch (scheme) {
            case UNIFORM -> blockLength == 0 ? null : "uniform with a block length of " + blockLength + " (must be 0)";
            case BFP -> blockLength >= 1 && blockLength <= MAX_DIMENSION ? null
                    : "bfp with a gain block of " + blockLength + " samples (must be 1.." + MAX_DIMENSION + ")";
            case IMA_ADPCM -> bits == 4 && blockLength == 0 ? null
                    : "ima-adpcm with " + bits + " bits and block length " + blockLength + " (must be 4 and 0)";
        };
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
        return StepSizes.problem(norm, ratio);
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

    private static void require(String field, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException("Operator: " + field + " " + problem);
        }
    }
}
