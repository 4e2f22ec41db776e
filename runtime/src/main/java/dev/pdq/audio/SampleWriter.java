package dev.pdq.audio;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;

/**
 * Encodes interleaved float samples (see {@link SampleReader} for the layout) to an output stream. Values are
 * buffered until {@link #flush()}; a writer for a live pipe flushes after every batch. Not thread-safe.
 */
public interface SampleWriter extends Closeable, Flushable {

    int channels();

    /**
     * Writes {@code len} values from {@code src[off..]}.
     *
     * @param len a multiple of {@link #channels()}
     */
    void write(float[] src, int off, int len) throws IOException;

    /** Encodes everything written so far and flushes the underlying stream. */
    @Override
    void flush() throws IOException;

    /** Writes any trailer the format has, then flushes; idempotent. The underlying stream stays open. */
    void finish() throws IOException;

    /** {@link #finish()}, then closes the underlying stream. */
    @Override
    void close() throws IOException;

    /** Sample frames written so far. */
    long framesWritten();
}
