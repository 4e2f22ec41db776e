package dev.pdq.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Writes raw s16le or f32le samples, or a WAV stream ({@link #wav}). s16le: s = clamp(rint(v*32768), -32768,
 * 32767), ties to even so that the half-integer levels of a 16-bit grid are not all pushed up; NaN becomes 0.
 * f32le: the float bits as they are. One fixed buffer; nothing is allocated per write.
 */
public final class PcmWriter extends StreamSampleWriter {

    private static final int BUFFER_BYTES = 8192;
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT_LE =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final SampleEncoding encoding;
    private final byte[] buf;
    private int used;

    private PcmWriter(OutputStream out, SampleEncoding encoding, int channels, byte[] header) {
        super(out, channels);
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        SampleArgs.checkRange("channels", channels, PcmReader.MAX_CHANNELS);
        this.buf = new byte[Math.max(BUFFER_BYTES, header.length)];
        System.arraycopy(header, 0, buf, 0, header.length);
        this.used = header.length;
    }

    /** Raw interleaved samples. */
    public static PcmWriter raw(OutputStream out, SampleEncoding encoding, int channels) {
        return new PcmWriter(out, encoding, channels, new byte[0]);
    }

    /**
     * A WAV stream of unknown length, header as sox writes it to a pipe ({@link WavHeader#encode} with frames -1).
     * The header goes out with the first flush. For a regular file, {@link WavHeader#patchSizes} can fix the sizes
     * afterwards.
     */
    public static PcmWriter wav(OutputStream out, SampleEncoding encoding, int channels, int sampleRate) {
        return new PcmWriter(out, encoding, channels, WavHeader.encode(encoding, channels, sampleRate, -1));
    }

    @Override
    protected void encode(float[] src, int off, int len) throws IOException {
        int bytes = encoding.bytes();
        for (int i = 0; i < len; ) {
            if (used + bytes > buf.length) {
                drain();
            }
            int n = Math.min(len - i, (buf.length - used) / bytes);
            if (encoding == SampleEncoding.S16LE) {
                for (int k = 0; k < n; k++) {
                    SHORT_LE.set(buf, used + 2 * k, toS16(src[off + i + k]));
                }
            } else {
                for (int k = 0; k < n; k++) {
                    FLOAT_LE.set(buf, used + 4 * k, src[off + i + k]);
                }
            }
            used += n * bytes;
            i += n;
        }
    }

    /** clamp(rint(v*32768), -32768, 32767); NaN gives 0: the 16-bit rounding of every 16-bit output. */
    public static short toS16(float v) {
        double s = Math.rint(v * 32768.0);
        if (s >= 32767) {
            return 32767;
        }
        if (s <= -32768) {
            return -32768;
        }
        return (short) s; // NaN casts to 0
    }

    private void drain() throws IOException {
        if (used > 0) {
            out.write(buf, 0, used);
            used = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void finish() throws IOException {
        flush();
    }
}
