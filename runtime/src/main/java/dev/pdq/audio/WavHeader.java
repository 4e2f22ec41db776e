package dev.pdq.audio;

import static dev.pdq.audio.AudioFormatException.Kind.LIMIT_EXCEEDED;
import static dev.pdq.audio.AudioFormatException.Kind.MALFORMED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.TRUNCATED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.UNSUPPORTED_FORMAT;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The part of a RIFF/WAVE header that matters here, and the header writer.
 *
 * <p>Reading accepts any common layout: fmt chunks of 16, 18 or 40 bytes (any size from 16 to
 * {@link #MAX_FMT_BYTES}), WAVE_FORMAT_EXTENSIBLE with the PCM or IEEE-float sub-format GUID, any chunks before
 * the data (LIST, fact, JUNK, bext, ...) skipped without being stored, odd chunk sizes followed by their pad byte.
 * Supported samples: 16-bit PCM and 32-bit IEEE float, 1 to {@link PcmReader#MAX_CHANNELS} channels. A data size of
 * 0 or of at least {@link #STREAMING_DATA_SIZE} means "until the end of the stream": these are the placeholders of
 * WAVs written to pipes (sox 14.4.2 writes 0x7ffff000 rounded down to the block align, arecord about 0x7fffff00,
 * newer sox and others 0xffffffff). The price: a real WAV with 2 GiB or more of data followed by more chunks
 * would have those chunks read as samples.
 *
 * <p>IMA ADPCM (format tag 0x11, 4 bits) is read by {@link #read(InputStream, boolean)} only, for the readers that
 * decode it (dev.pdq.adpcm): the fmt chunk must carry the extension (cbSize >= 2) with samplesPerBlock, the block
 * align must be a multiple of 4 bytes a channel, and samplesPerBlock must be what the block holds,
 * 8 (blockAlign / 4C - 1) + 1 (as sox demands); the fact chunk's sample count is kept ({@link Ima}).
 *
 * <p>Bounds, so that no header field drives an allocation or an unbounded skip: the fmt chunk is at most
 * {@link #MAX_FMT_BYTES} bytes (only its first 40 are stored), everything before the samples at most
 * {@link #MAX_HEADER_BYTES} bytes; beyond either the header is refused with {@code LIMIT_EXCEEDED}.
 *
 * @param encoding   the sample encoding (S16LE for IMA ADPCM: what it decodes to)
 * @param dataOffset byte offset of the first sample in the stream
 * @param dataBytes  bytes of sample data the header declares, or -1 for "until the end of the stream"
 * @param ima        the IMA ADPCM layout, or null for PCM and float
 */
public record WavHeader(SampleEncoding encoding, int channels, int sampleRate, long dataOffset, long dataBytes,
                        Ima ima) {

    /**
     * The layout of IMA ADPCM data.
     *
     * @param blockAlign      bytes of a block, a multiple of 4 x channels
     * @param samplesPerBlock sample frames a block holds: 8 (blockAlign / 4C - 1) + 1
     * @param factFrames      sample frames the fact chunk counts (the last block's padding excluded), or -1
     *                        without a fact chunk
     */
    public record Ima(int blockAlign, int samplesPerBlock, long factFrames) {
    }

    public static final int MAX_FMT_BYTES = 1024;
    public static final int MAX_HEADER_BYTES = 16 << 20;
    public static final long STREAMING_DATA_SIZE = 0x7fff0000L;
    public static final int MAX_SAMPLE_RATE = 1_000_000;
    /** The data size sox 14.4.2 writes when it cannot seek back, before rounding down to the block align. */
    static final long SOX_UNKNOWN_DATA_SIZE = 0x7ffff000L;

    /** "data" and "fmt " as little-endian ints. */
    private static final int DATA_ID = 0x61746164;
    private static final int FMT_ID = 0x20746d66;

    static final int FORMAT_PCM = 1;
    static final int FORMAT_IEEE_FLOAT = 3;
    static final int FORMAT_EXTENSIBLE = 0xfffe;
    static final int FORMAT_IMA_ADPCM = 0x11;
    /** "fact" as a little-endian int. */
    private static final int FACT_ID = 0x74636166;
    /** KSDATAFORMAT_SUBTYPE_* GUIDs after their first 4 bytes (the format tag, little-endian). */
    private static final byte[] GUID_TAIL = {0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xaa, 0x00, 0x38,
            (byte) 0x9b, 0x71};

    /** Reads the header of a PCM or float WAV up to the first sample; {@code in} is left at the first sample. */
    public static WavHeader read(InputStream in) throws IOException {
        return read(in, false);
    }

    /**
     * Reads the header up to the first sample; {@code in} is left at the first sample.
     *
     * @param imaAdpcm whether IMA ADPCM is accepted (else refused as UNSUPPORTED_FORMAT, as any other codec)
     */
    public static WavHeader read(InputStream in, boolean imaAdpcm) throws IOException {
        Input h = new Input(in);
        long factFrames = -1;
        byte[] riff = h.read(12, "the RIFF header");
        String id = fourCC(riff, 0);
        switch (id) {
            case "RIFF":
                break;
            case "RIFX":
                throw new AudioFormatException(UNSUPPORTED_FORMAT, 0, "big-endian WAV (RIFX) is not supported");
            case "RF64":
                throw new AudioFormatException(UNSUPPORTED_FORMAT, 0, "RF64 (64-bit WAV) is not supported");
            default:
                throw new AudioFormatException(MALFORMED_HEADER, 0, "not a RIFF file: it starts with '" + id + "'");
        }
        if (!fourCC(riff, 8).equals("WAVE")) {
            throw new AudioFormatException(MALFORMED_HEADER, 8, "RIFF form '" + fourCC(riff, 8) + "' is not WAVE");
        }
        Fmt fmt = null;
        while (true) {
            long chunkOffset = h.pos;
            byte[] ch = h.read(8, fmt == null ? "a chunk header (no fmt chunk yet)" : "a chunk header (no data chunk yet)");
            // ids compared as bytes: a header of many small chunks must not cost a formatted string each
            int chunkId = (int) u32(ch, 0);
            long size = u32(ch, 4);
            if (chunkId == DATA_ID) {
                if (fmt == null) {
                    throw new AudioFormatException(MALFORMED_HEADER, chunkOffset, "data chunk before the fmt chunk");
                }
                long dataBytes = size == 0 || size >= STREAMING_DATA_SIZE ? -1 : size;
                Ima ima = fmt.blockAlign == 0 ? null : new Ima(fmt.blockAlign, fmt.samplesPerBlock, factFrames);
                return new WavHeader(fmt.encoding, fmt.channels, fmt.sampleRate, h.pos, dataBytes, ima);
            }
            if (chunkId == FACT_ID && size >= 4 && h.pos + size + (size & 1) <= MAX_HEADER_BYTES) {
                byte[] body = h.read(4, "the fact chunk");
                factFrames = u32(body, 0);
                h.skip(size + (size & 1) - 4, ch);
                continue;
            }
            boolean isFmt = chunkId == FMT_ID;
            if (isFmt) {
                if (fmt != null) {
                    throw new AudioFormatException(MALFORMED_HEADER, chunkOffset, "a second fmt chunk");
                }
                if (size < 16) {
                    throw new AudioFormatException(MALFORMED_HEADER, chunkOffset + 4,
                            "fmt chunk of " + size + " bytes is shorter than 16");
                }
                if (size > MAX_FMT_BYTES) {
                    throw new AudioFormatException(LIMIT_EXCEEDED, chunkOffset + 4,
                            "fmt chunk of " + size + " bytes is longer than the limit of " + MAX_FMT_BYTES);
                }
            }
            long padded = size + (size & 1);
            if (h.pos + padded > MAX_HEADER_BYTES) {
                throw new AudioFormatException(LIMIT_EXCEEDED, chunkOffset, "chunk '" + fourCC(ch, 0) + "' of " + size
                        + " bytes would take the header past the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            if (isFmt) {
                long fmtOffset = h.pos;
                byte[] body = h.read((int) Math.min(size, 40), "the fmt chunk");
                h.skip(padded - body.length, ch);
                fmt = Fmt.parse(body, fmtOffset, imaAdpcm);
            } else {
                h.skip(padded, ch);
            }
        }
    }

    /** The fields of a fmt chunk this reader uses; blockAlign and samplesPerBlock 0 except for IMA ADPCM. */
    private record Fmt(SampleEncoding encoding, int channels, int sampleRate, int blockAlign, int samplesPerBlock) {

        /** @param b the first min(size, 40) bytes of the chunk; base: its stream offset */
        static Fmt parse(byte[] b, long base, boolean imaAdpcm) throws AudioFormatException {
            int tag = u16(b, 0);
            int channels = u16(b, 2);
            long rate = u32(b, 4);
            int blockAlign = u16(b, 12);
            int bits = u16(b, 14);
            if (channels == 0) {
                throw new AudioFormatException(MALFORMED_HEADER, base + 2, "0 channels");
            }
            if (channels > PcmReader.MAX_CHANNELS) {
                throw new AudioFormatException(LIMIT_EXCEEDED, base + 2,
                        channels + " channels is more than the limit of " + PcmReader.MAX_CHANNELS);
            }
            if (rate == 0 || rate > MAX_SAMPLE_RATE) {
                throw new AudioFormatException(rate == 0 ? MALFORMED_HEADER : UNSUPPORTED_FORMAT, base + 4,
                        "sample rate " + rate + " Hz is outside 1.." + MAX_SAMPLE_RATE);
            }
            if (tag == FORMAT_EXTENSIBLE) {
                if (b.length < 40) {
                    throw new AudioFormatException(MALFORMED_HEADER, base - 4,
                            "WAVE_FORMAT_EXTENSIBLE fmt chunk of " + b.length + " bytes is shorter than 40");
                }
                int cbSize = u16(b, 16);
                if (cbSize < 22) {
                    throw new AudioFormatException(MALFORMED_HEADER, base + 16,
                            "WAVE_FORMAT_EXTENSIBLE extension of " + cbSize + " bytes is shorter than 22");
                }
                int validBits = u16(b, 18);
                if (validBits > bits) {
                    throw new AudioFormatException(MALFORMED_HEADER, base + 18,
                            validBits + " valid bits in a " + bits + "-bit container");
                }
                long sub = u32(b, 24);
                if (!Arrays.equals(b, 28, 40, GUID_TAIL, 0, GUID_TAIL.length)
                        || (sub != FORMAT_PCM && sub != FORMAT_IEEE_FLOAT)) {
                    throw new AudioFormatException(UNSUPPORTED_FORMAT, base + 24,
                            "WAVE_FORMAT_EXTENSIBLE sub-format " + guid(b, 24) + " is neither PCM nor IEEE float");
                }
                tag = (int) sub;
            }
            if (tag == FORMAT_IMA_ADPCM && imaAdpcm) {
                return parseIma(b, base, channels, (int) rate, blockAlign, bits);
            }
            SampleEncoding encoding;
            if (tag == FORMAT_PCM && bits == 16) {
                encoding = SampleEncoding.S16LE;
            } else if (tag == FORMAT_IEEE_FLOAT && bits == 32) {
                encoding = SampleEncoding.F32LE;
            } else if (tag == FORMAT_PCM || tag == FORMAT_IEEE_FLOAT) {
                throw new AudioFormatException(UNSUPPORTED_FORMAT, base + 14, bits + "-bit "
                        + (tag == FORMAT_PCM ? "PCM" : "float") + " (only 16-bit PCM and 32-bit float are supported)");
            } else if (tag == FORMAT_IMA_ADPCM) {
                throw new AudioFormatException(UNSUPPORTED_FORMAT, base, "format tag 0x0011 (IMA ADPCM): this reader"
                        + " takes PCM and float only (IMA ADPCM is read through dev.pdq.io.AudioStreams)");
            } else {
                throw new AudioFormatException(UNSUPPORTED_FORMAT, base, String.format(
                        "format tag 0x%04x (only PCM, IEEE float, WAVE_FORMAT_EXTENSIBLE of them and IMA ADPCM are"
                                + " supported)", tag));
            }
            if (blockAlign != channels * encoding.bytes()) {
                throw new AudioFormatException(MALFORMED_HEADER, base + 12, "block align " + blockAlign + " is not "
                        + channels + " channels x " + encoding.bytes() + " bytes");
            }
            return new Fmt(encoding, channels, (int) rate, 0, 0);
        }

        /** The IMA ADPCM fields: 4 bits, cbSize >= 2, samplesPerBlock consistent with the block align. */
        private static Fmt parseIma(byte[] b, long base, int channels, int rate, int blockAlign, int bits)
                throws AudioFormatException {
            if (bits != 4) {
                throw new AudioFormatException(UNSUPPORTED_FORMAT, base + 14,
                        bits + "-bit IMA ADPCM (only 4-bit is supported)");
            }
            if (b.length < 20 || u16(b, 16) < 2) {
                throw new AudioFormatException(MALFORMED_HEADER, b.length < 18 ? base - 4 : base + 16,
                        "IMA ADPCM fmt chunk without its extension (cbSize >= 2 and samplesPerBlock)");
            }
            int samplesPerBlock = u16(b, 18);
            int group = 4 * channels;
            if (blockAlign < group || blockAlign % group != 0) {
                throw new AudioFormatException(MALFORMED_HEADER, base + 12, "IMA ADPCM block align " + blockAlign
                        + " is not a positive multiple of 4 bytes x " + channels + " channels");
            }
            int holds = 8 * (blockAlign / group - 1) + 1;
            if (samplesPerBlock != holds) {
                throw new AudioFormatException(MALFORMED_HEADER, base + 18, "IMA ADPCM samplesPerBlock "
                        + samplesPerBlock + " is not the " + holds + " a block of " + blockAlign + " bytes and "
                        + channels + " channels holds");
            }
            return new Fmt(SampleEncoding.S16LE, channels, rate, blockAlign, samplesPerBlock);
        }
    }

    // ---- writing ----

    /** Channel masks sox writes for WAVE_FORMAT_EXTENSIBLE (0: no speaker assignment). */
    private static int channelMask(int channels) {
        switch (channels) {
            case 1: return 0x4;
            case 2: return 0x3;
            case 4: return 0x33;
            case 6: return 0x3f;
            case 8: return 0x63f;
            default: return 0;
        }
    }

    /**
     * The header, laid out as sox 14.4.2 writes it: 16-bit PCM with at most 2 channels has a 16-byte fmt chunk
     * and no fact chunk; 16-bit PCM with more channels is WAVE_FORMAT_EXTENSIBLE (40-byte fmt) with a fact chunk;
     * float has an 18-byte fmt chunk (cbSize 0) and a fact chunk. The data chunk comes last.
     *
     * @param frames sample frames that follow, or -1 when unknown (a pipe): then, as sox, the data size is
     *               0x7ffff000 rounded down to a multiple of the block align, the fact chunk holds that many frames
     *               and the RIFF size is consistent with them. Sizes beyond 32 bits are written as 0xffffffff.
     */
    public static byte[] encode(SampleEncoding encoding, int channels, int sampleRate, long frames) {
        if (channels < 1 || channels > PcmReader.MAX_CHANNELS) {
            throw new IllegalArgumentException("channels = " + channels + " is outside 1.." + PcmReader.MAX_CHANNELS);
        }
        if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + " is outside 1.." + MAX_SAMPLE_RATE);
        }
        boolean pcm = encoding == SampleEncoding.S16LE;
        boolean extensible = pcm && channels > 2;
        boolean fact = !pcm || extensible;
        int blockAlign = channels * encoding.bytes();
        int fmtSize = extensible ? 40 : pcm ? 16 : 18;
        long dataBytes = frames < 0 ? SOX_UNKNOWN_DATA_SIZE - SOX_UNKNOWN_DATA_SIZE % blockAlign : frames * blockAlign;
        long factFrames = dataBytes / blockAlign;
        long riffBytes = 4 + (8 + fmtSize) + (fact ? 12 : 0) + 8 + dataBytes;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtSize + (fact ? 12 : 0) + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(clampU32(riffBytes)).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(fmtSize);
        b.putShort((short) (extensible ? FORMAT_EXTENSIBLE : pcm ? FORMAT_PCM : FORMAT_IEEE_FLOAT));
        b.putShort((short) channels).putInt(sampleRate).putInt(sampleRate * blockAlign).putShort((short) blockAlign);
        b.putShort((short) (8 * encoding.bytes()));
        if (extensible) {
            b.putShort((short) 22).putShort((short) 16).putInt(channelMask(channels));
            b.putInt(FORMAT_PCM).put(GUID_TAIL);
        } else if (!pcm) {
            b.putShort((short) 0);
        }
        if (fact) {
            b.put(ascii("fact")).putInt(4).putInt(clampU32(factFrames));
        }
        b.put(ascii("data")).putInt(clampU32(dataBytes));
        return b.array();
    }

    /**
     * The header of an IMA ADPCM WAV, laid out as sox 14.4.2 writes it: a 20-byte fmt chunk (tag 0x11, 4 bits,
     * cbSize 2, samplesPerBlock), average bytes a second blockAlign x rate / samplesPerBlock rounded to the
     * nearest, a fact chunk with the sample frames, then the data chunk: whole blocks, the last one padded.
     *
     * @param frames sample frames that follow, or -1 when unknown (a pipe): then, as sox, the data size is the
     *               most whole blocks in 0x7ffff000 bytes, the fact chunk counts their sample frames, and the RIFF
     *               size is consistent with them
     */
    public static byte[] encodeIma(int channels, int sampleRate, int blockAlign, long frames) {
        if (channels < 1 || channels > PcmReader.MAX_CHANNELS) {
            throw new IllegalArgumentException("channels = " + channels + " is outside 1.." + PcmReader.MAX_CHANNELS);
        }
        if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + " is outside 1.." + MAX_SAMPLE_RATE);
        }
        int group = 4 * channels;
        if (blockAlign < group || blockAlign % group != 0 || blockAlign > 0xffff) {
            throw new IllegalArgumentException("blockAlign = " + blockAlign + " is not a multiple of " + group
                    + " in " + group + "..65535");
        }
        int samplesPerBlock = 8 * (blockAlign / group - 1) + 1;
        if (samplesPerBlock > 0xffff) {
            throw new IllegalArgumentException("blockAlign = " + blockAlign + " holds " + samplesPerBlock
                    + " samples a channel, more than the fmt chunk's 16 bits can say");
        }
        long blocks = frames < 0 ? SOX_UNKNOWN_DATA_SIZE / blockAlign
                : (frames + samplesPerBlock - 1) / samplesPerBlock;
        long dataBytes = blocks * blockAlign;
        long factFrames = frames < 0 ? blocks * samplesPerBlock : frames;
        int fmtSize = 20;
        long riffBytes = 4 + (8 + fmtSize) + 12 + 8 + dataBytes;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtSize + 12 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(clampU32(riffBytes)).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(fmtSize).putShort((short) FORMAT_IMA_ADPCM).putShort((short) channels);
        b.putInt(sampleRate).putInt((int) Math.round((double) blockAlign * sampleRate / samplesPerBlock));
        b.putShort((short) blockAlign).putShort((short) 4).putShort((short) 2).putShort((short) samplesPerBlock);
        b.put(ascii("fact")).putInt(4).putInt(clampU32(factFrames));
        b.put(ascii("data")).putInt(clampU32(dataBytes));
        return b.array();
    }

    /**
     * Rewrites the sizes in the header of a WAV file written by {@link PcmWriter#wav} (with the unknown-length
     * placeholders) from the file's actual length. For regular files only (a pipe cannot seek).
     *
     * @return false, changing nothing, when the file does not start with a header of that layout
     */
    public static boolean patchSizes(FileChannel file) throws IOException {
        long size = file.size();
        ByteBuffer head = ByteBuffer.allocate(80); // the longest header encode() writes
        while (head.hasRemaining() && file.read(head, head.position()) > 0) {
            // positional reads until full or end of file
        }
        byte[] existing = Arrays.copyOf(head.array(), head.position());
        WavHeader h;
        try {
            h = read(new java.io.ByteArrayInputStream(existing));
        } catch (AudioFormatException e) {
            return false;
        }
        byte[] unknown = encode(h.encoding, h.channels, h.sampleRate, -1);
        if (h.dataOffset != unknown.length || !sameExceptSizes(existing, unknown)) {
            return false;
        }
        long frames = (size - h.dataOffset) / ((long) h.channels * h.encoding.bytes());
        byte[] patched = encode(h.encoding, h.channels, h.sampleRate, frames);
        ByteBuffer out = ByteBuffer.wrap(patched);
        long pos = 0;
        while (out.hasRemaining()) {
            pos += file.write(out, pos);
        }
        return true;
    }

    /** Equal except at the size fields (RIFF size, fact frames, data size) of an encode() header. */
    private static boolean sameExceptSizes(byte[] a, byte[] header) {
        int n = header.length;
        boolean fact = n != 44;
        for (int i = 0; i < n; i++) {
            boolean sizeField = (i >= 4 && i < 8) || i >= n - 4 || (fact && i >= n - 12 && i < n - 8);
            if (!sizeField && a[i] != header[i]) {
                return false;
            }
        }
        return true;
    }

    // ---- bytes ----

    /** Reads header bytes, counting the stream offset, never allocating more than one fmt chunk's 40 bytes. */
    private static final class Input {
        private final InputStream in;
        private final byte[] scratch = new byte[4096];
        long pos;

        Input(InputStream in) {
            this.in = in;
        }

        byte[] read(int n, String what) throws IOException {
            byte[] b = new byte[n];
            int got = in.readNBytes(b, 0, n);
            pos += got;
            if (got < n) {
                throw new AudioFormatException(TRUNCATED_HEADER, pos,
                        "the stream ended after " + got + " of the " + n + " bytes of " + what);
            }
            return b;
        }

        /** Skips the rest of the chunk whose 8-byte header is {@code chunk}. */
        void skip(long n, byte[] chunk) throws IOException {
            long left = n;
            while (left > 0) {
                int got = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (got < 0) {
                    String id = fourCC(chunk, 0);
                    throw new AudioFormatException(TRUNCATED_HEADER, pos, "the stream ended " + left
                            + " bytes before the end of " + (id.equals("fmt ") ? "the fmt chunk" : "chunk '" + id + "'"));
                }
                pos += got;
                left -= got;
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int clampU32(long v) {
        return (int) Math.min(v, 0xffffffffL);
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int i) {
        return (u16(b, i) | (long) u16(b, i + 2) << 16);
    }

    /** A chunk id for messages: printable ASCII as is, anything else as \xNN. */
    static String fourCC(byte[] b, int i) {
        StringBuilder sb = new StringBuilder();
        for (int k = i; k < i + 4; k++) {
            int c = b[k] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    private static String guid(byte[] b, int i) {
        StringBuilder sb = new StringBuilder();
        for (int k = i; k < i + 16; k++) {
            sb.append(String.format("%02x", b[k] & 0xff));
        }
        return sb.toString();
    }
}
