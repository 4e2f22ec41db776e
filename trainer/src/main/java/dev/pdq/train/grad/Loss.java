package dev.pdq.train.grad;

/**
 * The training loss of the dequantized output y^L against the clean signal s, as a sum over blocks of n samples (a
 * solver frame, or one frame's stretch of {@link GridAveragedGradient}'s segment), and its gradient dl/dy: what the
 * backward pass is seeded with. The block's clean samples are given with its error, so a loss may shape itself from
 * them ({@link WeightedLoss} analyses its weighting filter from the clean block); they never depend on K, so
 * dl/dy is all the backward pass needs.
 *
 * <p>Implementations: {@link SquaredError} (l = 0.5 ||e||^2, the plain loss) and {@link WeightedLoss} (the CELP
 * perceptual weighting filter on the error, mixed with the squared error); {@link LossSpec} names and builds them.
 * An instance may hold workspace: not thread-safe, one per gradient worker.
 */
public interface Loss {

    /** n, the samples of one block. */
    int frameLength();

    /**
     * Adds the loss of {@code blocks} consecutive blocks to {@code sum} and replaces their error by the loss's
     * gradient:
     *
     * <pre>
     *   on entry  error[off .. off + blocks*n) = e = y - s     (in the signal's own scale)
     *   on exit   error[off .. off + blocks*n) = dl/dy = dl/de
     *   returns   sum + l(e)                                   (added sample by sample, in the samples' order)
     * </pre>
     *
     * Adding to a running sum makes a sum over several calls round as one pass over all the samples would (the
     * squared error reproduces the gradient methods' loss before this interface bit for bit). Modifies
     * {@code error} and this object's workspace only.
     *
     * @param clean    s, {@code clean[cleanOff .. cleanOff + blocks*n)}: the blocks' targets (not modified)
     */
    double addLossAndGradient(double sum, double[] error, int off, float[] clean, int cleanOff, int blocks);

    /** Bytes of workspace this loss holds (0 unless it keeps some). */
    default long workspaceBytes() {
        return 0;
    }

    /** A short description for logs and provenance, e.g. "0.5||y^L - s||^2". */
    String describe();
}
