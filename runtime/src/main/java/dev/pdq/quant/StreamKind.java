package dev.pdq.quant;

/**
 * What a quantized stream is, as far as choosing a model goes: its scheme, bit depth and sample rate.
 *
 * @param scheme      the node's quantizer
 * @param bits        bits a sample of the codes
 * @param sampleRate  samples a second
 * @param blockLength the scheme's gain block (BFP), 0 for the others
 */
public record StreamKind(Scheme scheme, int bits, int sampleRate, int blockLength) {
    /** The uniform grid of {@code bits} at {@code sampleRate}. */
    public static StreamKind uniform(int bits, int sampleRate) {
        return new StreamKind(Scheme.UNIFORM, bits, sampleRate, 0);
    }

    /** "4-bit uniform, 16000 Hz", "4-bit bfp (gain blocks of 32), 16000 Hz". */
    public String describe() {
        return bits + "-bit " + scheme + (blockLength > 0 ? " (gain blocks of " + blockLength + ")" : "") + ", "
                + sampleRate + " Hz";
    }
}
