/**
 * Measurements the pdq command runs: solver throughput against the BLAS ceiling, the end-to-end real-time
 * factor, and the soak run.
 */
package dev.pdq.bench;
