package dev.pdq.audio;

import java.util.Objects;

/**
 * The argument checks every {@link SampleReader} and {@link SampleWriter} makes, with one wording for all of them
 * (PCM, code streams, IMA ADPCM).
 */
public final class SampleArgs {

    private SampleArgs() {
    }

    /** Throws IllegalArgumentException "name = value is outside 1..max" unless 1 <= value <= max. */
    public static void checkRange(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " = " + value + " is outside 1.." + max);
        }
    }

    /** The arguments of {@link SampleWriter#write}: src[off..off+len) exists and holds whole sample frames. */
    public static void checkWrite(float[] src, int off, int len, int channels) {
        Objects.checkFromIndexSize(off, len, src.length);
        if (len % channels != 0) {
            throw new IllegalArgumentException("len = " + len + " is not a multiple of " + channels + " channels");
        }
    }

    /** The arguments of {@link SampleReader#read}: dst[off..off+len) exists and holds a sample frame at least. */
    public static void checkRead(float[] dst, int off, int len, int channels) {
        Objects.checkFromIndexSize(off, len, dst.length);
        checkFrame(len, channels);
    }

    /** The arguments of {@link CellReader#readCells}: as {@link #checkRead}, for all three arrays. */
    public static void checkReadCells(float[] x, float[] below, float[] above, int off, int len, int channels) {
        Objects.checkFromIndexSize(off, len, x.length);
        Objects.checkFromIndexSize(off, len, below.length);
        Objects.checkFromIndexSize(off, len, above.length);
        checkFrame(len, channels);
    }

    private static void checkFrame(int len, int channels) {
        if (len < channels) {
            throw new IllegalArgumentException("len = " + len + " is less than one sample frame of " + channels);
        }
    }
}
