package dev.pdq.codes;

import dev.pdq.audio.SampleWriter;
import dev.pdq.quant.Quantizer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Quantizes float samples and writes them as a code stream (runtime/CODESTREAM.md). A block goes to the output
 * stream when it is full or on {@link #flush()}; {@link #finish()} writes the end marker. The blocks are those of
 * {@link CodeStreamWriterV2#uniform} (the same codes, block by block) under the version-1 header, and the writing
 * is its. All buffers are allocated in the constructor. Not thread-safe.
 */
public final class CodeStreamWriter implements SampleWriter {

    private final Quantizer quantizer;
    private final CodeStreamWriterV2 stream;

    /**
     * @param blockFrames block capacity F, 1..{@link CodeStreamFormat#MAX_BLOCK_FRAMES}
     *                    ({@link CodeStreamFormat#DEFAULT_BLOCK_FRAMES} is 20 ms at 16 kHz)
     */
    public CodeStreamWriter(OutputStream out, int bits, int channels, int sampleRate, int blockFrames) {
        Objects.requireNonNull(out, "out");
        this.quantizer = new Quantizer(bits);
        this.stream = CodeStreamWriterV2.version1(out, bits, channels, sampleRate, blockFrames);
    }

    public Quantizer quantizer() {
        return quantizer;
    }

    @Override
    public int channels() {
        return stream.channels();
    }

    @Override
    public long framesWritten() {
        return stream.framesWritten();
    }

    /** Quantizes and buffers the values; full blocks go to the output stream. NaN takes code 0. */
    @Override
    public void write(float[] src, int off, int len) throws IOException {
        stream.write(src, off, len);
    }

    /** Writes the pending codes as a block (possibly short) and flushes the output stream. */
    @Override
    public void flush() throws IOException {
        stream.flush();
    }

    /** Writes the pending block and the end marker, then flushes; idempotent. */
    @Override
    public void finish() throws IOException {
        stream.finish();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
