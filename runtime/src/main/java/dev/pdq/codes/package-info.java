/**
 * The pdq code stream (runtime/CODESTREAM.md, versions 1 and 2): bit-packed codes of the uniform grid or of
 * block floating point, in CRC-checked blocks with an end marker; reader and writers.
 */
package dev.pdq.codes;
