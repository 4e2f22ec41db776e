/**
 * Gradients of the dequantization loss with respect to the analysis operator K, through L unrolled Chambolle-Pock
 * iterations: {@link dev.pdq.train.grad.FullBackprop} (Algorithm 2 / eq. 9 with the corrected extrapolation term,
 * memory growing with L), {@link dev.pdq.train.grad.TruncatedBackprop} (Theorem 2: b backward steps with the masks
 * frozen at the last iterate, memory independent of L), behind one interface
 * {@link dev.pdq.train.grad.GradientMethod}, and {@link dev.pdq.train.grad.ParallelGradient}, which splits a
 * batch over worker threads.
 *
 * <p>Loss: l = 0.5 * sum over the frames of the batch of ||y^L - s||^2 (the golden vectors in ../shared/vectors
 * use exactly this). sigma and tau are constants of the gradient. The primal mask threshold alpha is a setting:
 * r gives the exact Jacobian (checked against finite differences in double precision), 1 is what the paper trains
 * with.
 *
 * <p>The forward pass is the runtime's {@link dev.pdq.solver.PrimalDual} (the same kernel that runs on the node);
 * the backward pass runs on the same {@link dev.pdq.blas.Blas} backend, frames as rows, gemm over the batch.
 */
package dev.pdq.train.grad;
