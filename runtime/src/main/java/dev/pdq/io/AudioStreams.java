package dev.pdq.io;

import dev.pdq.adpcm.ImaCells;
import dev.pdq.adpcm.ImaDialect;
import dev.pdq.adpcm.ImaEncoder;
import dev.pdq.adpcm.ImaWavReader;
import dev.pdq.audio.PcmReader;
import dev.pdq.audio.PcmWriter;
import dev.pdq.audio.SampleEncoding;
import dev.pdq.audio.SampleReader;
import dev.pdq.audio.SampleWriter;
import dev.pdq.audio.WavHeader;
import dev.pdq.codes.CodeStreamFormat;
import dev.pdq.codes.CodeStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Opens sample readers and writers by format, detecting the input format where asked. */
public final class AudioStreams {

    private static final int DETECT_BYTES = 4;

    private AudioStreams() {
    }

    /**
     * Opens a reader, reading the header where the format has one (blocking until it has arrived). An IMA ADPCM
     * WAV gives an {@link ImaWavReader} (a {@link dev.pdq.audio.CellReader}) with the cells of
     * {@link ImaEncoder#DEFAULT}.
     *
     * @param rawChannels   channels of raw input (WAV and code streams carry their own)
     * @param rawSampleRate sample rate of raw input, or 0 when unknown
     */
    public static SampleReader openInput(InputStream in, InputFormat format, int rawChannels, int rawSampleRate)
            throws IOException {
        return openInput(in, format, rawChannels, rawSampleRate, ImaEncoder.DEFAULT.dialect(),
                ImaEncoder.DEFAULT.slack());
    }

    /**
     * {@link #openInput(InputStream, InputFormat, int, int)}, decoding IMA ADPCM in {@code imaDialect} with cells
     * widened by {@code imaSlack} (runtime/ADPCM.md: sox's files in the sox dialect with the slack of sox,
     * ffmpeg's in the ffmpeg dialect with no slack; {@link ImaEncoder} pairs them).
     */
    public static SampleReader openInput(InputStream in, InputFormat format, int rawChannels, int rawSampleRate,
                                         ImaDialect imaDialect, ImaCells.Slack imaSlack) throws IOException {
        InputStream source = in;
        InputFormat f = format;
        if (f == InputFormat.AUTO) {
            byte[] head = new byte[DETECT_BYTES];
            int n = in.readNBytes(head, 0, DETECT_BYTES);
            source = new PrefixedInputStream(head, n, in);
            f = detect(head, n);
        }
        switch (f) {
            case WAV: {
                WavHeader h = WavHeader.read(source, true);
                return h.ima() != null ? ImaWavReader.open(source, h, imaDialect, imaSlack)
                        : PcmReader.wav(source, h);
            }
            case CODES:
                return CodeStreamReader.open(source);
            case F32LE:
                return PcmReader.raw(source, SampleEncoding.F32LE, rawChannels, rawSampleRate);
            default:
                return PcmReader.raw(source, SampleEncoding.S16LE, rawChannels, rawSampleRate);
        }
    }

    /** The format the first bytes of a stream suggest: WAV, CODES, or S16LE for anything else. */
    public static InputFormat detect(byte[] head, int len) {
        if (len >= 4) {
            String id = new String(head, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (id.equals("RIFF") || id.equals("RIFX") || id.equals("RF64")) {
                return InputFormat.WAV; // the WAV reader refuses RIFX and RF64 with a clear message
            }
            if (CodeStreamFormat.hasMagic(head, len)) {
                return InputFormat.CODES;
            }
        }
        return InputFormat.S16LE;
    }

    /** Opens a writer; a WAV header (sox-style, unknown length) goes out with the first flush. */
    public static SampleWriter openOutput(OutputStream out, OutputFormat format, int channels, int sampleRate) {
        return format.isWav() ? PcmWriter.wav(out, format.encoding(), channels, sampleRate)
                : PcmWriter.raw(out, format.encoding(), channels);
    }
}
