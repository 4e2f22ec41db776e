/**
 * The primal-dual solver ({@link dev.pdq.solver.PrimalDual}: batched, per-sample cells, preallocated), its
 * step sizes ({@link dev.pdq.solver.StepSizes}) and the spectral norm they come from
 * ({@link dev.pdq.solver.SpectralNorm}): the kernel the runtime runs and the trainer unrolls; a batch split over
 * threads ({@link dev.pdq.solver.FrameParallelSolver}), what a stream runs on several cores.
 */
package dev.pdq.solver;
