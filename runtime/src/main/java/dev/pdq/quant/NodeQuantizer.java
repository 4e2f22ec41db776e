package dev.pdq.quant;

/**
 * A node's quantizer and what its plain decoder knows, as one function of the clean signal: the rule that the
 * trainer (which simulates the node on clean speech) and the runtime (which decodes what a node sent) must agree
 * on. For every sample t the decoder knows its value x_t and an interval [x_t + below_t, x_t + above_t] that holds
 * the clean sample (below_t <= 0 <= above_t; for the uniform grid below = -r, above = r).
 *
 * <p>Cells may depend on earlier samples (a block's gain, an ADPCM predictor), but never on anything before the
 * start of a <em>segment</em>: segments of {@link #segmentLength()} samples, counted from the start of the signal,
 * are quantized independently (1 for the uniform grid, the gain block for BFP). A quantizer whose state runs
 * through the whole signal (IMA ADPCM: each WAV block's step index is where the encoder left the block before) has
 * segment length 0: its signal is quantized from its start.
 * Implementations are immutable and thread-safe.
 */
public interface NodeQuantizer {

    Scheme scheme();

    /** Bits a sample of the codes (not counting side information such as exponents or block headers). */
    int bits();

    /** Samples of a segment, quantized independently of everything before it; 0: the whole signal is one. */
    int segmentLength();

    /**
     * The half width of the cells at full scale (r = 2^-b for the uniform grid and for BFP at exponent 0): the unit
     * of a frame's scale, see {@link FrameScale}.
     */
    float nominalHalfWidth();

    /**
     * Quantizes {@code clean[off .. off+len)} as the node would, starting at a segment start, and writes what the
     * decoder knows: {@code x[dst+i]}, {@code below[dst+i]}, {@code above[dst+i]} for i < len. A last segment
     * shorter than {@link #segmentLength()} is quantized as the node quantizes the end of a stream. Modifies x,
     * below and above only.
     */
    void quantize(float[] clean, int off, int len, float[] x, float[] below, float[] above, int dst);
}
