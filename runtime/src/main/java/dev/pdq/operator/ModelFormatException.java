package dev.pdq.operator;

import java.io.IOException;

/**
 * A model file that cannot be used, with what was wrong and where: the kind of problem, the file, the field and
 * its byte offset. Only the first problem found is reported (the reader stops there).
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The closed set of problems a model file can have. */
    public enum Kind {
        /** The file does not start with "PDQK". */
        BAD_MAGIC,
        /** A format version this reader does not know. */
        UNSUPPORTED_VERSION,
        /** The file ends before a field it announces. */
        TRUNCATED,
        /** A field outside its documented bounds (dimensions, bits, rate, ...), or a K without valid steps. */
        BAD_FIELD,
        /** NaN or infinity where a finite number is required (theta, the step ratio, K). */
        NON_FINITE,
        /** The CRC32 stored at the end does not match the bytes before it. */
        CHECKSUM,
        /** Bytes after the checksum. */
        TRAILING_BYTES,
        /** The file could not be read or written at all. */
        IO
    }

    private final Kind kind;
    private final String source;
    private final String field;
    private final long offset;

    /**
     * @param field  the field concerned, or null
     * @param offset the byte offset of the problem in the file, or -1 when it has none
     */
    public ModelFormatException(Kind kind, String source, String field, long offset, String detail,
                                Throwable cause) {
        super(format(kind, source, field, offset, detail), cause);
        this.kind = kind;
        this.source = source;
        this.field = field;
        this.offset = offset;
    }

    public ModelFormatException(Kind kind, String source, String field, long offset, String detail) {
        this(kind, source, field, offset, detail, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The file (or stream) name. */
    public String source() {
        return source;
    }

    /** The field concerned, or null. */
    public String field() {
        return field;
    }

    /** The byte offset of the problem, or -1. */
    public long offset() {
        return offset;
    }

    /** "source: byte 8: n = 0 not in 1..4096 [BAD_FIELD]". */
    private static String format(Kind kind, String source, String field, long offset, String detail) {
        StringBuilder sb = new StringBuilder();
        sb.append(source).append(": ");
        if (offset >= 0) {
            sb.append("byte ").append(offset).append(": ");
        }
        if (field != null) {
            sb.append(field).append(' ');
        }
        return sb.append(detail).append(" [").append(kind).append(']').toString();
    }
}
