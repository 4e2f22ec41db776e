/**
 * IMA ADPCM (WAV format tag 0x11): the tables, the reference decoder (bit-exact with the IMA/Microsoft decoder as
 * sox and ffmpeg implement it), the reference encoder (the three-comparison ladder), the cell of the clean sample
 * that each code tells the decoder, and the WAV block layout: a reader that delivers values and cells, a writer,
 * and the node quantizer the trainer simulates. The cells and the slack measured for the encoders in use are
 * documented in runtime/ADPCM.md.
 */
package dev.pdq.adpcm;
