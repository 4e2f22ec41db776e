package dev.pdq.train.grad;

/**
 * The loss of a batch of frames and its gradient with respect to the analysis operator K, through L unrolled
 * primal-dual iterations (see {@link FullBackprop}, {@link TruncatedBackprop}, {@link ParallelGradient}).
 *
 * <p>Loss: l = sum over the frames of l_f(y^L - s), the method's {@link #loss()} (by default the squared error
 * 0.5 ||y^L - s||^2; a sum, not a mean: divide by the batch size for a mean), y^L the output of L iterations of
 * Algorithm 1 started at y = ybar = x, psi = 0. The gradient is dl/dK (k x n, row-major) with sigma and tau held
 * constant (not differentiated through ||K||).
 *
 * <p>Frames are rows: frame f of x and s is {@code x[(first + f)*n .. (first + f + 1)*n)}. All workspace is
 * allocated by the constructor; nothing is allocated per call. Not thread-safe.
 */
public interface GradientMethod extends AutoCloseable {

    /** n, the frame length (columns of K). */
    int frameLength();

    /** k, the number of analysis coefficients (rows of K). */
    int coefficients();

    /** The largest batch a call accepts. */
    int maxBatch();

    /** L, the number of forward iterations. */
    int iterations();

    /**
     * Sets K (k x n row-major, {@code op[0 .. k*n)}), re-estimates ||K|| and sets sigma and tau from it
     * (sigma = sqrt(ratio) * 0.99/||K||, tau = 0.99/(sqrt(ratio) * ||K||)). Call again after every update of K.
     */
    void setOperator(float[] op);

    /** Sets K and the steps the caller computed (the trainer's, from its own norm estimate): no estimate needed. */
    default void setOperator(float[] op, float sigma, float tau) {
        setOperator(op);
        setSteps(sigma, tau);
    }

    /** Overrides sigma and tau (golden vectors were made with fixed ones). */
    void setSteps(float sigma, float tau);

    float sigma();

    float tau();

    /**
     * Computes the loss of frames {@code first .. first+batch-1} and writes dl/dK into {@code gradOut[0 .. k*n)},
     * overwriting it. Modifies gradOut and this object's workspace only.
     *
     * @param x       quantized frames (row-major, n per frame)
     * @param s       clean target frames, same layout as x
     * @param r       half width of the quantization cell (the box |y - x| <= r)
     * @return the loss over the batch (0.5 * sum ||y^L - s||^2 for the squared error)
     */
    double lossAndGradient(float[] x, float[] s, int first, int batch, float r, float[] gradOut);

    /**
     * The same with per-sample cells: frame f's sample i starts at x and must stay in [x + below, x + above] (same
     * layout as x), each frame solved in its scale with nominal half width {@code unit} (see {@link
     * dev.pdq.solver.PrimalDual#load(float[], float[], float[], int, int, float)}); the loss stays in the signal's
     * own scale. On the fixed grid (below = -r, above = r, unit = r) it equals the call above.
     */
    double lossAndGradient(float[] x, float[] below, float[] above, float[] s, int first, int batch, float unit,
                           float[] gradOut);

    /** The loss of a frame's output this method differentiates: the squared error unless it says otherwise. */
    default Loss loss() {
        return new SquaredError(frameLength());
    }

    /** {@link #lossAndGradient(float[], float[], int, int, float, float[])} from the first frame. */
    default double lossAndGradient(float[] x, float[] s, int batch, float r, float[] gradOut) {
        return lossAndGradient(x, s, 0, batch, r, gradOut);
    }

    /**
     * Bytes of workspace allocated by this object at construction, its solver's and its loss's included (4 per
     * float, 8 per mask word). Constant over its life: full backpropagation grows it with L, truncated does not.
     */
    long workspaceBytes();

    /** Releases threads or native resources, if any. */
    @Override
    default void close() {
    }
}
