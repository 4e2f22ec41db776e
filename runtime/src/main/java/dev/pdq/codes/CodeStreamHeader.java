package dev.pdq.codes;

import static dev.pdq.audio.AudioFormatException.Kind.LIMIT_EXCEEDED;
import static dev.pdq.audio.AudioFormatException.Kind.MALFORMED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.TRUNCATED_HEADER;
import static dev.pdq.audio.AudioFormatException.Kind.UNSUPPORTED_FORMAT;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.Quantizer;
import dev.pdq.quant.Scheme;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The header of a code stream: version 1 (runtime/CODESTREAM.md: the uniform scheme, no gain blocks) or version 2
 * (runtime/CODESTREAM-2.md: the scheme and the gain block length).
 *
 * @param version         1 or 2
 * @param scheme          {@link Scheme#UNIFORM} (always in version 1) or {@link Scheme#BFP}
 * @param bits            bits a code: 1..16 for the uniform grid, 2..8 for BFP
 * @param channels        1..{@link CodeStreamFormat#MAX_CHANNELS}
 * @param sampleRate      1..{@link CodeStreamFormat#MAX_SAMPLE_RATE} Hz
 * @param blockFrames     block capacity F, 1..{@link CodeStreamFormat#MAX_BLOCK_FRAMES}; a multiple of N for BFP
 * @param gainBlockFrames N, sample frames a gain block (BFP, 1..F), 0 for the uniform grid
 */
public record CodeStreamHeader(int version, Scheme scheme, int bits, int channels, int sampleRate, int blockFrames,
                               int gainBlockFrames) {

    /** Bytes of this version's header. */
    public int bytes() {
        return version == 1 ? CodeStreamFormat.HEADER_BYTES : CodeStreamFormat.HEADER_BYTES_V2;
    }

    /** Gain blocks a block holds at most: F / N for BFP, 0 for the uniform grid. */
    public int maxGainBlocks() {
        return gainBlockFrames == 0 ? 0 : blockFrames / gainBlockFrames;
    }

    /** Gain blocks of a block of {@code frames} sample frames: ceil(frames / N), 0 for the uniform grid. */
    public int gainBlocks(int frames) {
        return gainBlockFrames == 0 ? 0 : (frames + gainBlockFrames - 1) / gainBlockFrames;
    }

    /** The header's bytes, CRC included. */
    byte[] encode() {
        ByteBuffer h = ByteBuffer.allocate(bytes()).order(ByteOrder.LITTLE_ENDIAN);
        h.put(CodeStreamFormat.MAGIC).put((byte) version).put((byte) bits).putShort((short) channels)
                .putInt(sampleRate).putShort((short) blockFrames);
        if (version == CodeStreamFormat.VERSION_2) {
            h.put((byte) (scheme == Scheme.BFP ? CodeStreamFormat.SCHEME_BFP : CodeStreamFormat.SCHEME_UNIFORM))
                    .putShort((short) gainBlockFrames);
        }
        CRC32 crc = new CRC32();
        crc.update(h.array(), 0, h.position());
        h.putInt((int) crc.getValue());
        return h.array();
    }

    /**
     * Reads and checks a header (blocking until it is complete): the magic, then the version (another version is
     * UNSUPPORTED_FORMAT before anything else of it is read), then the CRC, then the fields in the order of their
     * offsets, the scheme before the bits (whose range it sets).
     */
    static CodeStreamHeader read(InputStream in) throws IOException {
        byte[] h = new byte[CodeStreamFormat.HEADER_BYTES_V2];
        int got = in.readNBytes(h, 0, 5);
        if (got >= 4 && !CodeStreamFormat.hasMagic(h, got)) {
            throw new AudioFormatException(MALFORMED_HEADER, 0, "not a pdq code stream: no PDQC magic");
        }
        int version = got == 5 ? h[4] & 0xff : 1;
        if (version != CodeStreamFormat.VERSION && version != CodeStreamFormat.VERSION_2) {
            throw new AudioFormatException(UNSUPPORTED_FORMAT, 4, "code stream version " + version
                    + " (this reader knows versions 1 and 2)");
        }
        int size = version == 1 ? CodeStreamFormat.HEADER_BYTES : CodeStreamFormat.HEADER_BYTES_V2;
        got += in.readNBytes(h, got, size - got);
        if (got < size) {
            throw new AudioFormatException(TRUNCATED_HEADER, got, "the stream ended after " + got + " of the "
                    + size + " bytes of the code stream header");
        }
        CRC32 crc = new CRC32();
        crc.update(h, 0, size - 4);
        int stored = getInt(h, size - 4);
        if ((int) crc.getValue() != stored) {
            throw new AudioFormatException(MALFORMED_HEADER, size - 4, String.format(
                    "code stream header CRC mismatch (stored %08x, computed %08x)", stored, crc.getValue()));
        }
        int bits = h[5] & 0xff;
        int channels = getShort(h, 6);
        long rate = getInt(h, 8) & 0xffffffffL;
        int blockFrames = getShort(h, 12);
        Scheme scheme = Scheme.UNIFORM;
        int gainBlockFrames = 0;
        if (version == CodeStreamFormat.VERSION_2) {
            int s = h[14] & 0xff;
            if (s != CodeStreamFormat.SCHEME_UNIFORM && s != CodeStreamFormat.SCHEME_BFP) {
                throw new AudioFormatException(UNSUPPORTED_FORMAT, 14, "code stream scheme " + s
                        + " (this reader knows 0, uniform, and 1, bfp)");
            }
            scheme = s == CodeStreamFormat.SCHEME_BFP ? Scheme.BFP : Scheme.UNIFORM;
            gainBlockFrames = getShort(h, 15);
        }
        int minBits = scheme == Scheme.BFP ? BlockFloatQuantizer.MIN_BITS : Quantizer.MIN_BITS;
        int maxBits = scheme == Scheme.BFP ? BlockFloatQuantizer.MAX_BITS : Quantizer.MAX_BITS;
        if (bits < minBits || bits > maxBits) {
            throw new AudioFormatException(MALFORMED_HEADER, 5, "bits = " + bits + " is outside " + minBits + ".."
                    + maxBits + (version == 1 ? "" : " (scheme " + scheme + ")"));
        }
        if (channels == 0) {
            throw new AudioFormatException(MALFORMED_HEADER, 6, "0 channels");
        }
        if (channels > CodeStreamFormat.MAX_CHANNELS) {
            throw new AudioFormatException(LIMIT_EXCEEDED, 6,
                    channels + " channels is more than the limit of " + CodeStreamFormat.MAX_CHANNELS);
        }
        if (rate == 0 || rate > CodeStreamFormat.MAX_SAMPLE_RATE) {
            throw new AudioFormatException(rate == 0 ? MALFORMED_HEADER : UNSUPPORTED_FORMAT, 8,
                    "sample rate " + rate + " Hz is outside 1.." + CodeStreamFormat.MAX_SAMPLE_RATE);
        }
        if (blockFrames == 0) {
            throw new AudioFormatException(MALFORMED_HEADER, 12, "block capacity of 0 frames");
        }
        if (blockFrames > CodeStreamFormat.MAX_BLOCK_FRAMES) {
            throw new AudioFormatException(LIMIT_EXCEEDED, 12, "block capacity of " + blockFrames
                    + " frames is more than the limit of " + CodeStreamFormat.MAX_BLOCK_FRAMES);
        }
        if (scheme == Scheme.UNIFORM && gainBlockFrames != 0) {
            throw new AudioFormatException(MALFORMED_HEADER, 15, "gain block length " + gainBlockFrames
                    + " for the uniform scheme (it has no gain blocks: 0)");
        }
        if (scheme == Scheme.BFP && gainBlockFrames == 0) {
            throw new AudioFormatException(MALFORMED_HEADER, 15, "gain block length 0 (bfp needs 1..F)");
        }
        if (scheme == Scheme.BFP && blockFrames % gainBlockFrames != 0) {
            throw new AudioFormatException(MALFORMED_HEADER, 15, "gain block length " + gainBlockFrames
                    + " does not divide the block capacity " + blockFrames + " (a block holds whole gain blocks)");
        }
        return new CodeStreamHeader(version, scheme, bits, channels, (int) rate, blockFrames, gainBlockFrames);
    }

    static int getShort(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    static int getInt(byte[] b, int i) {
        return getShort(b, i) | getShort(b, i + 2) << 16;
    }
}
