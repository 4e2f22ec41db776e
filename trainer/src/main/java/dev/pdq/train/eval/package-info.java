/**
 * Evaluation: classical inference through the runtime's streaming dequantizer, optimality inference and the
 * iteration curve offline, scores (MSE, SNR, segmental SNR, STOI) per file, per corpus and per level.
 */
package dev.pdq.train.eval;
