package dev.pdq.audio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * What the readers of an input stream share (PCM, code streams, IMA ADPCM WAV): the stream, the channel count, the
 * checks of {@link #read} and the count of sample frames delivered, and {@link #close()}. A subclass decodes in
 * {@link #readFrames} and adds what it delivers to {@link #framesDelivered}.
 */
public abstract class StreamSampleReader implements SampleReader {

    protected final InputStream in;
    protected final int channels;
    /** Sample frames delivered so far: the subclass counts them. */
    protected long framesDelivered;

    /** @param channels checked by the subclass (or its header parser) against its format's limit */
    protected StreamSampleReader(InputStream in, int channels) {
        this.in = Objects.requireNonNull(in, "in");
        this.channels = channels;
    }

    @Override
    public final int channels() {
        return channels;
    }

    @Override
    public final long framesDelivered() {
        return framesDelivered;
    }

    /** Checks the arguments ({@link SampleArgs#checkRead}), then {@link #readFrames}. */
    @Override
    public final int read(float[] dst, int off, int len) throws IOException {
        SampleArgs.checkRead(dst, off, len, channels);
        return readFrames(dst, off, len);
    }

    /** {@link #read} with its arguments checked. */
    protected abstract int readFrames(float[] dst, int off, int len) throws IOException;

    @Override
    public void close() throws IOException {
        in.close();
    }
}
