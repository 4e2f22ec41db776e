package dev.pdq.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * What the writers onto an output stream share (PCM, code streams, IMA ADPCM WAV): the stream, the channel count,
 * the checks of {@link #write} and the count of sample frames written, and {@link #close()} as finish-then-close.
 * A subclass encodes in {@link #encode}.
 */
public abstract class StreamSampleWriter implements SampleWriter {

    protected final OutputStream out;
    protected final int channels;
    private long framesWritten;

    /** @param channels checked by the subclass against its format's limit ({@link SampleArgs#checkRange}) */
    protected StreamSampleWriter(OutputStream out, int channels) {
        this.out = Objects.requireNonNull(out, "out");
        this.channels = channels;
    }

    @Override
    public final int channels() {
        return channels;
    }

    @Override
    public final long framesWritten() {
        return framesWritten;
    }

    /** Checks the arguments ({@link SampleArgs#checkWrite}), encodes the values and counts their sample frames. */
    @Override
    public final void write(float[] src, int off, int len) throws IOException {
        SampleArgs.checkWrite(src, off, len, channels);
        encode(src, off, len);
        framesWritten += len / channels;
    }

    /** Encodes {@code len} values from {@code src[off..]}, whole sample frames (checked by {@link #write}). */
    protected abstract void encode(float[] src, int off, int len) throws IOException;

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }
}
