package dev.pdq.quant;

import java.util.Locale;

/**
 * The node-side quantization schemes pdq decodes. Each tells the decoder, for every sample, a value x (what the
 * scheme's plain decoder outputs) and an interval [x + below, x + above] the true sample lies in; the dequantizer
 * keeps every output sample in its interval. The command-line and file names are {@link #cliName()}.
 */
public enum Scheme {
    /** Mid-rise uniform grid of 2^b levels on [-1, 1), fixed full scale ({@link Quantizer}): x +- r, r = 2^-b. */
    UNIFORM,
    /** Block floating point: the uniform grid scaled by 2^-e per block of samples, e sent with the block. */
    BFP,
    /** IMA ADPCM (4 bits a sample, WAV format 0x11): predictor and step known to the decoder, the code a cell. */
    IMA_ADPCM;

    /** uniform, bfp, ima-adpcm. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a name as {@link #cliName()} writes it; IllegalArgumentException naming the valid ones. */
    public static Scheme parse(String name) {
        for (Scheme s : values()) {
            if (s.cliName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scheme '" + name + "' (uniform, bfp, ima-adpcm)");
    }

    @Override
    public String toString() {
        return cliName();
    }
}
