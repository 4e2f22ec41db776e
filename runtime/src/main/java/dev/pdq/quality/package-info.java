/**
 * Quality measures: SNR, segmental SNR and STOI (with its resampler and FFT).
 */
package dev.pdq.quality;
