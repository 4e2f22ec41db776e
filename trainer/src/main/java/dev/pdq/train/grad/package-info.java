/**
 * Gradients of the dequantization loss with respect to the analysis operator K, through L unrolled Chambolle-Pock
 * iterations: {@link dev.pdq.train.grad.FullBackprop} (Algorithm 2 / eq. 9 with the corrected extrapolation term,
 * memory growing with L), {@link dev.pdq.train.grad.TruncatedBackprop} (Theorem 2: b backward steps with the masks
 * frozen at the last iterate, memory independent of L), behind one interface
 * {@link dev.pdq.train.grad.GradientMethod}, and {@link dev.pdq.train.grad.ParallelGradient}, which splits a
 * batch over worker threads.
 *
 * <p>Loss: pluggable ({@link dev.pdq.train.grad.Loss}, named by {@link dev.pdq.train.grad.LossSpec}), summed over
 * the frames of the batch: the plain {@link dev.pdq.train.grad.SquaredError} l = 0.5 ||y^L - s||^2 (the golden
 * vectors in ../shared/vectors use exactly this), or the perceptual {@link dev.pdq.train.grad.WeightedLoss}, the
 * error through the CELP weighting filter of the clean frame ({@link dev.pdq.train.grad.WeightingFilter}) mixed
 * with the squared error. The loss only seeds the backward pass with dl/dy^L; {@link
 * dev.pdq.train.grad.GridAveragedGradient} takes it through the averaged output of shifted grids. sigma and tau
 * are constants of the gradient. The primal mask threshold alpha is a setting:
 * r gives the exact Jacobian (checked against finite differences in double precision), 1 is what the paper trains
 * with.
 *
 * <p>The forward pass is the runtime's {@link dev.pdq.solver.PrimalDual} (the same kernel that runs on the node);
 * the backward pass runs on the same {@link dev.pdq.blas.Blas} backend, frames as rows, gemm over the batch.
 */
package dev.pdq.train.grad;
