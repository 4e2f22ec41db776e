package dev.pdq.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Little-endian byte building for hand-made headers. */
public final class Bytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Bytes ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    public Bytes u8(int v) {
        out.write(v);
        return this;
    }

    public Bytes u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    public Bytes u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public Bytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public Bytes s16(short... samples) {
        for (short s : samples) {
            u16(s);
        }
        return this;
    }

    public Bytes f32(float... samples) {
        for (float f : samples) {
            u32(Float.floatToRawIntBits(f) & 0xffffffffL);
        }
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toArray() {
        return out.toByteArray();
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** s16le bytes of the given samples. */
    public static byte[] s16le(short[] s) {
        ByteBuffer b = ByteBuffer.allocate(2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : s) {
            b.putShort(v);
        }
        return b.array();
    }

    /** Concatenation. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
