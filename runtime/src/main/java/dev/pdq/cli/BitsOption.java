package dev.pdq.cli;

import dev.pdq.quant.Quantizer;
import picocli.CommandLine.Option;

/** --bits of a command that quantizes at a bit depth it is told (4 unless told), shared by pdq and pdq-train. */
public final class BitsOption {
    @Option(names = "--bits", paramLabel = "1..16", defaultValue = "4",
            description = "Bits a sample of the quantization grid (default: ${DEFAULT-VALUE}).")
    int bits;

    /** The bit depth, checked against the quantizer's range. */
    public int bits() throws PdqException {
        return check(bits);
    }

    /** {@code bits} if it is in the quantizer's range, else a usage error naming --bits. */
    public static int check(int bits) throws PdqException {
        if (bits < Quantizer.MIN_BITS || bits > Quantizer.MAX_BITS) {
            throw PdqException.usage("--bits " + bits + " is not in " + Quantizer.MIN_BITS + ".." + Quantizer.MAX_BITS);
        }
        return bits;
    }
}
