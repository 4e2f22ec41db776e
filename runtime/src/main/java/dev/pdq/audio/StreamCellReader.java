package dev.pdq.audio;

import java.io.IOException;
import java.io.InputStream;

/**
 * A {@link StreamSampleReader} that is a {@link CellReader}: {@link #read} and {@link #readCells} check their
 * arguments and go to one {@link #deliver}, with or without the cells.
 */
public abstract class StreamCellReader extends StreamSampleReader implements CellReader {

    protected StreamCellReader(InputStream in, int channels) {
        super(in, channels);
    }

    @Override
    protected final int readFrames(float[] dst, int off, int len) throws IOException {
        return deliver(dst, null, null, off, len);
    }

    /** Checks the arguments ({@link SampleArgs#checkReadCells}), then {@link #deliver}. */
    @Override
    public final int readCells(float[] x, float[] below, float[] above, int off, int len) throws IOException {
        SampleArgs.checkReadCells(x, below, above, off, len, channels);
        return deliver(x, below, above, off, len);
    }

    /**
     * Delivers up to {@code len} values (whole sample frames, at least one; checked by the caller) into
     * {@code x[off..]} and, when {@code below} is not null, their cells into {@code below[off..]} and
     * {@code above[off..]}, counting them in {@link #framesDelivered}.
     *
     * @return as {@link #read}
     */
    protected abstract int deliver(float[] x, float[] below, float[] above, int off, int len) throws IOException;
}
