package dev.pdq.stream;

import java.io.IOException;

/** Receives dequantized samples, interleaved by channel, in stream order. */
public interface SampleSink {

    /** Takes {@code frames} sample frames (frames * channels floats) from {@code interleaved[off..)}. */
    void write(float[] interleaved, int off, int frames) throws IOException;

    /** Pushes what was written so far to its destination (called after every batch). */
    void flush() throws IOException;
}
