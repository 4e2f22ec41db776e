/**
 * The training benchmark: real steps against the gemm ceiling at their shapes.
 */
package dev.pdq.train.bench;
