package dev.pdq.audio;

import java.io.IOException;
import java.util.Objects;

/**
 * Input bytes that are not valid audio of the expected format. Every parser of outside bytes (raw PCM, WAV, the
 * code stream) reports faults with this exception and one of a closed set of {@link Kind}s; the message names what
 * was wrong and the byte offset in the stream where it was found. Anything else a reader throws is an
 * {@link IOException} of the underlying stream or a programming error.
 */
public final class AudioFormatException extends IOException {

    /** The closed set of faults. */
    public enum Kind {
        /** The stream ended inside a header (WAV chunks before the data, the code stream's header). */
        TRUNCATED_HEADER,
        /** A header field is invalid or inconsistent (no WAVE form, block align not channels x sample size, bad CRC). */
        MALFORMED_HEADER,
        /** A valid header of something not supported (24-bit PCM, MS ADPCM, RIFX, RF64, a newer code-stream version). */
        UNSUPPORTED_FORMAT,
        /** A header field beyond a documented bound (channels, chunk sizes, block size): refused, never allocated. */
        LIMIT_EXCEEDED,
        /** The sample data ended inside a sample frame (an odd byte count in s16le, not a multiple of 4 in f32le, not
         *  a multiple of the block align in WAV, an IMA ADPCM block cut short). */
        ODD_LENGTH,
        /** A float sample that is NaN or infinite. */
        NON_FINITE_SAMPLE,
        /** An IMA ADPCM WAV block is corrupt: a channel's block header with a step index above 88 or a nonzero
         *  reserved byte. */
        BAD_BLOCK,
        /** A code-stream block is corrupt (CRC mismatch, bad frame count, nonzero padding, a short gain block before
         *  the last block), truncated, the end marker disagrees with the blocks, the stream ended without an end
         *  marker, or data follows the end marker. */
        BAD_CODE_STREAM
    }

    private final Kind kind;
    private final long offset;

    /**
     * @param offset byte offset in the stream where the fault was found (the start of the bad field, sample or
     *               block), or -1 where no single offset applies
     */
    public AudioFormatException(Kind kind, long offset, String message) {
        super(Objects.requireNonNull(message, "message") + (offset >= 0 ? " (at byte offset " + offset + ")" : ""));
        this.kind = Objects.requireNonNull(kind, "kind");
        this.offset = offset;
    }

    public Kind kind() {
        return kind;
    }

    /** Byte offset of the fault in the stream, or -1. */
    public long offset() {
        return offset;
    }
}
