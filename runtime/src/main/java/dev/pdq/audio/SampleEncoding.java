package dev.pdq.audio;

/** How one sample is stored: in raw streams and in WAV data. */
public enum SampleEncoding {
    /** Signed 16-bit little-endian PCM; v = s/32768. */
    S16LE(2),
    /** IEEE 754 32-bit little-endian float. */
    F32LE(4);

    private final int bytes;

    SampleEncoding(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes a sample. */
    public int bytes() {
        return bytes;
    }
}
