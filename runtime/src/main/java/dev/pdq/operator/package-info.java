/**
 * The analysis operator K and everything needed to run it ({@link dev.pdq.operator.Operator}), its file
 * format (runtime/MODEL_FORMAT.md), the built-in models and K = DCT, and the node quantizer of each scheme
 * ({@link dev.pdq.operator.NodeQuantizers}).
 */
package dev.pdq.operator;
