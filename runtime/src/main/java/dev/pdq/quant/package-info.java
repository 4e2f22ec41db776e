/**
 * Quantization schemes and what a decoder knows of each sample: the uniform grid
 * ({@link dev.pdq.quant.Quantizer}), block floating point, the {@link dev.pdq.quant.NodeQuantizer} rule the trainer and
 * the runtime share, and the scale a frame is solved in ({@link dev.pdq.quant.FrameScale}).
 */
package dev.pdq.quant;
