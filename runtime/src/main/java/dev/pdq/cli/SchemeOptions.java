package dev.pdq.cli;

import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.Scheme;
import picocli.CommandLine.Option;

/** --scheme and BFP's --gain-block, shared by pdq quantize and pdq-train's train, eval and experiment. */
public final class SchemeOptions {
    @Option(names = "--scheme", paramLabel = "uniform|bfp|ima-adpcm", defaultValue = "uniform",
            converter = SchemeConverter.class,
            description = "The node's quantizer: uniform (the fixed grid of 2^bits levels, default), bfp (block"
                    + " floating point: the grid scaled by 2^-e per gain block, e sent with the block), ima-adpcm"
                    + " (IMA ADPCM, 4 bits).")
    Scheme scheme;

    @Option(names = "--gain-block", paramLabel = "N", defaultValue = "" + BlockFloatQuantizer.DEFAULT_BLOCK_LENGTH,
            description = "With --scheme bfp: samples a gain block holds (default: ${DEFAULT-VALUE}).")
    int gainBlock;

    public Scheme scheme() {
        return scheme;
    }

    /** BFP's gain block, checked; 0 for the other schemes. */
    public int gainBlock() throws PdqException {
        if (scheme != Scheme.BFP) {
            return 0;
        }
        if (gainBlock < 1 || gainBlock > BlockFloatQuantizer.MAX_BLOCK_LENGTH) {
            throw PdqException.usage("--gain-block " + gainBlock + " is not in 1.."
                    + BlockFloatQuantizer.MAX_BLOCK_LENGTH);
        }
        return gainBlock;
    }
}
