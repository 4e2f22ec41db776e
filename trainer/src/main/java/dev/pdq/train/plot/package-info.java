/**
 * Learning curves as PNG (XChart).
 */
package dev.pdq.train.plot;
