/**
 * Training data: WAV corpora read into utterances, levels, the training frames and the segments of shifted
 * grids, each batch put through the node quantizer of the scheme being trained.
 */
package dev.pdq.train.corpus;
