/**
 * Adam and the learning-rate schedule.
 */
package dev.pdq.train.optim;
