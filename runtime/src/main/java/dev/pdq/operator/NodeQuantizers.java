package dev.pdq.operator;

import dev.pdq.adpcm.ImaNodeQuantizer;
import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.Scheme;

/**
 * The node quantizer of a scheme: what the trainer simulates on clean speech and evaluation scores, and whose
 * nominal half width scales the runtime's frames. The one place a scheme's name turns into its quantizer.
 */
public final class NodeQuantizers {
    private NodeQuantizers() {
    }

    /**
     * @param blockLength BFP's gain block (0: its default); ignored by the others
     * @throws IllegalArgumentException if the scheme does not take these bits or this block
     */
    public static NodeQuantizer of(Scheme scheme, int bits, int blockLength) {
        return switch (scheme) {
            case UNIFORM -> new Quantizer(bits);
            case BFP -> new BlockFloatQuantizer(bits,
                    blockLength > 0 ? blockLength : BlockFloatQuantizer.DEFAULT_BLOCK_LENGTH);
            case IMA_ADPCM -> {
                if (bits != 4) {
                    throw new IllegalArgumentException("ima-adpcm is 4 bits a sample, not " + bits);
                }
                yield new ImaNodeQuantizer();
            }
        };
    }

    /** The quantizer an operator was made for. */
    public static NodeQuantizer of(Operator op) {
        return of(op.scheme(), op.bits(), op.blockLength());
    }
}
