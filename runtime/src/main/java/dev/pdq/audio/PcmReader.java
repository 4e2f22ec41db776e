package dev.pdq.audio;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reads raw s16le or f32le samples, or the data of a WAV stream ({@link #wav}), with the streaming contract of
 * {@link SampleReader}. One fixed buffer, allocated once; nothing is allocated per read.
 */
public final class PcmReader extends StreamSampleReader {

    /** Most channels accepted anywhere (raw, WAV); bounds every per-frame buffer. */
    public static final int MAX_CHANNELS = 64;

    private static final int BUFFER_BYTES = 8192; // a multiple of every frame size up to 64 x 4 bytes
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT_LE =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final SampleEncoding encoding;
    private final int sampleRate;
    private final String description;
    private final int frameBytes;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int start;              // first unread byte in buf
    private int end;                // one past the last byte read into buf
    private long startOffset;       // stream offset of buf[start]
    private long remaining;         // data bytes not yet read from in
    private boolean eof;
    private IOException fault;

    private PcmReader(InputStream in, SampleEncoding encoding, int channels, int sampleRate, String description,
                      long dataOffset, long dataBytes) {
        super(in, channels);
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        SampleArgs.checkRange("channels", channels, MAX_CHANNELS);
        if (sampleRate < 0) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + " is negative");
        }
        this.sampleRate = sampleRate;
        this.description = description;
        this.frameBytes = channels * encoding.bytes();
        this.startOffset = dataOffset;
        this.remaining = dataBytes;
    }

    /**
     * Raw interleaved samples until the end of the stream.
     *
     * @param sampleRate the rate to report, or 0 when unknown
     */
    public static PcmReader raw(InputStream in, SampleEncoding encoding, int channels, int sampleRate) {
        String d = encoding.name().toLowerCase(java.util.Locale.ROOT) + ", " + channels
                + (channels == 1 ? " channel" : " channels") + (sampleRate > 0 ? ", " + sampleRate + " Hz" : "");
        return new PcmReader(in, encoding, channels, sampleRate, d, 0, Long.MAX_VALUE);
    }

    /**
     * Reads a WAV header from {@code in} (blocking until it is complete), then its samples. A data size of 0 or of
     * a streaming placeholder means "until the end of the stream" (see {@link WavHeader}); a data size larger
     * than the stream also ends at the end of the stream.
     */
    public static PcmReader wav(InputStream in) throws IOException {
        return wav(in, WavHeader.read(in));
    }

    /**
     * The samples of a WAV stream whose header {@code h} was just read from {@code in} (PCM or float: IMA ADPCM is
     * refused with IllegalArgumentException).
     */
    public static PcmReader wav(InputStream in, WavHeader h) {
        if (h.ima() != null) {
            throw new IllegalArgumentException("an IMA ADPCM WAV is not PCM");
        }
        String d = "WAV " + (h.encoding() == SampleEncoding.S16LE ? "16-bit PCM" : "32-bit float") + ", "
                + h.channels() + (h.channels() == 1 ? " channel" : " channels") + ", " + h.sampleRate() + " Hz";
        return new PcmReader(in, h.encoding(), h.channels(), h.sampleRate(), d, h.dataOffset(),
                h.dataBytes() < 0 ? Long.MAX_VALUE : h.dataBytes());
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public String description() {
        return description;
    }

    public SampleEncoding encoding() {
        return encoding;
    }

    @Override
    protected int readFrames(float[] dst, int off, int len) throws IOException {
        if (fault != null) {
            throw fault;
        }
        while (end - start < frameBytes) {
            if (eof) {
                if (end > start) {
                    fault = new AudioFormatException(AudioFormatException.Kind.ODD_LENGTH, startOffset,
                            "the " + encoding.name().toLowerCase(java.util.Locale.ROOT) + " data ends with "
                                    + (end - start) + " byte(s) of an incomplete sample frame of " + frameBytes
                                    + " bytes (" + channels + " x " + encoding.bytes() + ")");
                    throw fault;
                }
                return -1;
            }
            try {
                fill();
            } catch (IOException e) {
                fault = e; // sticky, like every fault
                throw e;
            }
        }
        int frames = Math.min(len / channels, (end - start) / frameBytes);
        int good = encoding == SampleEncoding.S16LE ? decodeS16(dst, off, frames) : decodeF32(dst, off, frames);
        start += good * frameBytes;
        startOffset += (long) good * frameBytes;
        framesDelivered += good;
        if (good == 0) {
            throw fault; // the first frame was bad; a later bad frame is reported by the next read
        }
        return good * channels;
    }

    /** Reads once from the stream (blocking); the buffer holds less than one frame when called. */
    private void fill() throws IOException {
        if (remaining == 0) {
            eof = true;
            return;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = in.read(buf, end, (int) Math.min(buf.length - end, remaining));
        if (n < 0) {
            eof = true;
        } else {
            end += n;
            remaining -= n;
        }
    }

    private int decodeS16(float[] dst, int off, int frames) {
        int values = frames * channels;
        for (int i = 0, p = start; i < values; i++, p += 2) {
            dst[off + i] = (short) SHORT_LE.get(buf, p) * (1f / 32768f);
        }
        return frames;
    }

    /** Stops before the first sample frame holding a NaN or infinity and records the fault. */
    private int decodeF32(float[] dst, int off, int frames) {
        int values = frames * channels;
        for (int i = 0, p = start; i < values; i++, p += 4) {
            float v = (float) FLOAT_LE.get(buf, p);
            if (!Float.isFinite(v)) {
                fault = new AudioFormatException(AudioFormatException.Kind.NON_FINITE_SAMPLE, startOffset + (p - start),
                        "float sample " + v + " in channel " + (i % channels) + " of sample frame "
                                + (framesDelivered + i / channels));
                return i / channels;
            }
            dst[off + i] = v;
        }
        return frames;
    }

    @Override
    public int available() throws IOException {
        if (fault != null) {
            return 0;
        }
        long bytes = (end - start) + (eof ? 0 : Math.min(Math.max(in.available(), 0), remaining));
        return (int) Math.min(bytes / frameBytes, Integer.MAX_VALUE / channels) * channels;
    }
}
