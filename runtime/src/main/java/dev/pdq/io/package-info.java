/**
 * Opening streams by format: detection of WAV, code streams and IMA ADPCM WAV, and the format names of the
 * command line.
 */
package dev.pdq.io;
