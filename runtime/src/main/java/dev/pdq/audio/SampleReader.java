package dev.pdq.audio;

import java.io.Closeable;
import java.io.IOException;

/**
 * A stream of samples decoded from bytes as they arrive.
 *
 * <p>Samples are delivered interleaved, as float values in [-1, 1) (PCM) or as given (float input): a
 * <em>sample frame</em> is one sample of every channel (not to be confused with the solver's frames of n samples),
 * and {@code dst[off + f*channels() + ch]} is channel ch of the f-th sample frame delivered by a call. Reads never
 * split a sample frame.
 *
 * <p>Streaming contract: {@link #read} blocks only until at least one whole sample frame, or the end of the
 * stream, has arrived, and then returns what is already there (up to {@code len}); it never waits to fill
 * {@code dst}. A fault (an {@link AudioFormatException}, or an I/O error of the underlying stream) is reported only
 * after every sample before it has been delivered: a read returns the good samples first and the next read throws.
 * After a fault, every further read throws the same exception.
 *
 * <p>Not thread-safe: one thread reads.
 */
public interface SampleReader extends Closeable {

    /** Channels, at least 1. */
    int channels();

    /** Sample rate in Hz from the stream's header, or the one given for raw input; 0 when unknown. */
    int sampleRate();

    /** Bits of the quantization grid the stream carries (a code stream), or 0 when it carries none (PCM). */
    default int bits() {
        return 0;
    }

    /** What is being read, for logs and messages, e.g. "WAV 16-bit PCM, 2 channels, 16000 Hz". */
    String description();

    /**
     * Reads up to {@code len} values (rounded down to whole sample frames) into {@code dst[off..]}.
     *
     * @param len at least {@link #channels()}
     * @return the number of values written, a positive multiple of {@link #channels()}, or -1 at the end of the
     * stream
     * @throws AudioFormatException a fault in the input, after every sample before it was delivered
     * @throws IOException          an error of the underlying stream, likewise
     */
    int read(float[] dst, int off, int len) throws IOException;

    /**
     * Values that can be read without blocking (an estimate, a multiple of {@link #channels()}): lets a caller
     * process a partial batch instead of waiting for input that is not there yet.
     */
    int available() throws IOException;

    /** Sample frames delivered so far. */
    long framesDelivered();
}
