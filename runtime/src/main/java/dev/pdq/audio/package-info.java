/**
 * Sample streams: the {@link dev.pdq.audio.SampleReader} and {@link dev.pdq.audio.SampleWriter} contracts
 * (interleaved floats, streaming, faults after every good sample), {@link dev.pdq.audio.CellReader} for streams whose
 * samples come with their quantization cells, raw PCM and WAV reading and writing, and the closed set of input faults
 * ({@link dev.pdq.audio.AudioFormatException}).
 */
package dev.pdq.audio;
