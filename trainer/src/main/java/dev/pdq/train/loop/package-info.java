/**
 * The training loop shared by every engine: configuration, state, checkpoints, the step gradient, ||K||
 * tracking, validation, early stopping, the log.
 */
package dev.pdq.train.loop;
