package dev.pdq.audio;

import dev.pdq.quant.Scheme;

import java.io.IOException;

/**
 * A {@link SampleReader} of a stream whose samples come with their quantization cells: for every value x it
 * delivers, the interval [x + below, x + above] (below <= 0 <= above) that the node's clean sample lies in.
 * {@link #read(float[], int, int)} delivers the values alone (the scheme's plain decoding); {@link #readCells}
 * delivers values and cells together, with the same streaming and fault contract. A caller uses one of the two.
 */
public interface CellReader extends SampleReader {

    /** The scheme the stream was quantized with. */
    Scheme scheme();

    /** The scheme's gain block in samples (BFP), 0 for the others. */
    default int blockLength() {
        return 0;
    }

    /**
     * Reads up to {@code len} values (whole sample frames, interleaved) into {@code x[off..]} and their cells into
     * {@code below[off..]} and {@code above[off..]}.
     *
     * @return the number of values written, a positive multiple of {@link #channels()}, or -1 at the end
     * @throws AudioFormatException a fault in the input, after every sample before it was delivered
     */
    int readCells(float[] x, float[] below, float[] above, int off, int len) throws IOException;
}
