/**
 * The paper's experiments (Fig. 3 and 4): full against truncated backpropagation over a list of L.
 */
package dev.pdq.train.experiment;
