/**
 * Single-precision, row-major BLAS for pdq: the {@link dev.pdq.blas.Blas} interface, OpenBLAS through JNA
 * direct mapping ({@link dev.pdq.blas.OpenBlas}), a pure-Java implementation ({@link dev.pdq.blas.JavaBlas}),
 * and the one selector that chooses between them ({@link dev.pdq.blas.Blases#select}).
 *
 * <p>Native library lookup: an explicit path (option or device profile), else the file named by the environment
 * variable PDQ_BLAS_LIBRARY, else libopenblas.so.0, libopenblas.so, libblas.so.3 (the last only if it exports
 * CBLAS). {@link dev.pdq.blas.BlasCeiling} measures the raw gemv/gemm ceiling at the solver's shapes.
 */
package dev.pdq.blas;
