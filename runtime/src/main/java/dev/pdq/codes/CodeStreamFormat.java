package dev.pdq.codes;

import java.util.zip.CRC32;

/**
 * Constants and helpers of the code stream format: version 1 is specified in runtime/CODESTREAM.md, version 2
 * (schemes, block floating point) in runtime/CODESTREAM-2.md.
 */
public final class CodeStreamFormat {

    /** "PDQC". */
    public static final byte[] MAGIC = {'P', 'D', 'Q', 'C'};
    /** The version {@link CodeStreamWriter} writes (the uniform scheme). */
    public static final int VERSION = 1;
    /** The version {@link CodeStreamWriterV2} writes: the scheme and the gain block length in the header. */
    public static final int VERSION_2 = 2;
    public static final int HEADER_BYTES = 18;
    public static final int HEADER_BYTES_V2 = 21;
    /** Version 2: the scheme byte of the uniform grid and of block floating point. */
    public static final int SCHEME_UNIFORM = 0;
    public static final int SCHEME_BFP = 1;
    /** Bits of an exponent on the wire (e in 0..15). */
    public static final int EXPONENT_BITS = 4;
    public static final int MAX_CHANNELS = 64;
    public static final int MAX_BLOCK_FRAMES = 4096;
    public static final int MAX_SAMPLE_RATE = 1_000_000;
    public static final int DEFAULT_BLOCK_FRAMES = 320;
    /**
     * The default block capacity of a BFP stream: 1280 frames (80 ms at 16 kHz), 40 gain blocks of the default 32,
     * so that the 6 bytes of a block cost 0.0375 bits a sample (runtime/CODESTREAM-2.md, "Bits on the wire").
     */
    public static final int DEFAULT_BFP_BLOCK_FRAMES = 1280;
    /** Frame count, then CRC. */
    static final int BLOCK_OVERHEAD = 2 + 4;
    /** Zero frame count, total frames, CRC. */
    static final int END_MARKER_BYTES = 2 + 8 + 4;

    private CodeStreamFormat() {
    }

    /** True when {@code b} starts with the magic. */
    public static boolean hasMagic(byte[] b, int len) {
        if (len < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** P = ceil(values * bits / 8). */
    static int payloadBytes(int values, int bits) {
        return (int) (((long) values * bits + 7) / 8);
    }

    /** P = ceil((4 * exponents + values * bits) / 8): a version-2 block's exponents and codes. */
    static int payloadBytes(int exponents, int values, int bits) {
        return (int) (((long) exponents * EXPONENT_BITS + (long) values * bits + 7) / 8);
    }

    /** CRC-32 of (index as 4 bytes LE) followed by b[0..len). */
    static int blockCrc(CRC32 crc, long index, byte[] b, int off, int len) {
        crc.reset();
        crc.update((int) index);
        crc.update((int) (index >>> 8));
        crc.update((int) (index >>> 16));
        crc.update((int) (index >>> 24));
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    /**
     * Packs {@code ne} exponents of 4 bits, then {@code nc} codes of {@code bits} bits, as one LSB-first bit string
     * into dst[off..off+payloadBytes(ne, nc, bits)); the unused bits of the last byte are zero.
     */
    static void pack(int[] exponents, int ne, int[] codes, int nc, int bits, byte[] dst, int off) {
        long acc = 0;
        int held = 0;
        int p = off;
        for (int i = 0; i < ne + nc; i++) {
            boolean exponent = i < ne;
            acc |= (long) (exponent ? exponents[i] : codes[i - ne]) << held;
            held += exponent ? EXPONENT_BITS : bits;
            while (held >= 8) {
                dst[p++] = (byte) acc;
                acc >>>= 8;
                held -= 8;
            }
        }
        if (held > 0) {
            dst[p] = (byte) acc;
        }
    }

    /**
     * Unpacks what {@link #pack(int[], int, int[], int, int, byte[], int)} packed.
     *
     * @return false when the padding bits of the last byte are not zero
     */
    static boolean unpack(byte[] src, int off, int ne, int[] exponents, int nc, int bits, int[] codes) {
        long acc = 0;
        int held = 0;
        int p = off;
        for (int i = 0; i < ne + nc; i++) {
            boolean exponent = i < ne;
            int width = exponent ? EXPONENT_BITS : bits;
            while (held < width) {
                acc |= (long) (src[p++] & 0xff) << held;
                held += 8;
            }
            int v = (int) acc & ((1 << width) - 1);
            if (exponent) {
                exponents[i] = v;
            } else {
                codes[i - ne] = v;
            }
            acc >>>= width;
            held -= width;
        }
        return acc == 0;
    }
}
