package dev.pdq.testing;

import dev.pdq.adpcm.ImaWavWriter;
import dev.pdq.audio.SampleEncoding;
import dev.pdq.audio.WavHeader;
import dev.pdq.codes.CodeStreamWriter;
import dev.pdq.codes.CodeStreamWriterV2;
import dev.pdq.demo.SpeechSynth;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.Scheme;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Writes the seed corpora of the runtime's fuzz targets (docs/HARDENING.md) into
 * {@code runtime/src/test/resources/dev/pdq/<package>/<Target>Inputs/<method>/seed-*}: a few small valid inputs of
 * each format and the hostile headers the issue names (65535 channels, a 4 GB fmt chunk, a huge K). Run from the
 * repository root after a deliberate format change (the seeds are committed):
 *
 * <pre>
 *   mvn -B -o -q -pl runtime -am test-compile
 *   mvn -B -o -q -pl runtime dependency:build-classpath -Dmdep.outputFile=/tmp/pdq-cp.txt
 *   java -cp "runtime/target/test-classes:runtime/target/classes:native/target/classes:$(cat /tmp/pdq-cp.txt)" \
 *       dev.pdq.testing.GenerateFuzzSeeds runtime/src/test/resources
 * </pre>
 *
 * The device-config seeds (ProfileFuzzTestInputs) are the built-in profiles and a few hand-written files.
 */
public final class GenerateFuzzSeeds {

    private GenerateFuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "runtime/src/test/resources");
        wav(root.resolve("dev/pdq/audio/WavFuzzTestInputs/wav"));
        raw(root.resolve("dev/pdq/io/RawPcmFuzzTestInputs/raw"));
        Path codes = root.resolve("dev/pdq/codes/CodeStreamFuzzTestInputs");
        codes(codes.resolve("codes"));
        codes(codes.resolve("codesWithValidCrcs"));
        Path models = root.resolve("dev/pdq/operator/ModelFileFuzzTestInputs");
        models(models.resolve("model"));
        models(models.resolve("modelWithValidCrc"));
        commandLines(root.resolve("dev/pdq/cli/CommandLineFuzzTestInputs/parse"));
        framing(root.resolve("dev/pdq/stream/StreamFuzzTestInputs/framing"));
        ima(root.resolve("dev/pdq/adpcm/ImaWavFuzzTestInputs/ima"));
    }

    /**
     * IMA ADPCM WAVs of blocks of 36 bytes a channel (65 samples), so that a few hundred bytes hold several blocks:
     * sized and pipe headers, 1 to 3 channels, a fact count inside the last block, and the faults (a bad step
     * index, a nonzero reserved byte, a block cut short). The shape byte's bit 7 asks for sox's slack, bit 6 for
     * ffmpeg's dialect.
     */
    private static void ima(Path dir) throws IOException {
        float[] speech = SpeechSynth.generate(0.02, 16000, 5); // 320 samples
        write(dir, "mono-sized", 0, imaFile(1, 36, Arrays.copyOf(speech, 150), true));
        write(dir, "stereo-pipe", 0x85, imaFile(2, 72, Arrays.copyOf(speech, 200), false));
        write(dir, "3ch-sized", 9, imaFile(3, 108, Arrays.copyOf(speech, 3 * 70), true));
        write(dir, "mono-ffmpeg-dialect", 0x44, imaFile(1, 36, Arrays.copyOf(speech, 100), true));
        byte[] bad = imaFile(1, 36, Arrays.copyOf(speech, 150), true);
        bad[60 + 36 + 2] = 89;
        write(dir, "step-index-89", 3, bad);
        byte[] reserved = imaFile(2, 72, Arrays.copyOf(speech, 160), true);
        reserved[60 + 4 + 3] = 1;
        write(dir, "reserved-byte", 0x81, reserved);
        byte[] whole = imaFile(1, 36, Arrays.copyOf(speech, 130), true);
        write(dir, "cut-block", 2, Arrays.copyOf(whole, whole.length - 13));
    }

    /** An IMA ADPCM WAV of pdq's writer; {@code sized}: the header says the length, else the pipe's placeholders. */
    private static byte[] imaFile(int channels, int blockAlign, float[] interleaved, boolean sized)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = interleaved.length / channels;
        try (ImaWavWriter w = ImaWavWriter.open(out, channels, 16000, blockAlign)) {
            w.write(interleaved, 0, frames * channels);
        }
        byte[] b = out.toByteArray();
        if (sized) {
            byte[] h = WavHeader.encodeIma(channels, 16000, blockAlign, frames);
            System.arraycopy(h, 0, b, 0, h.length);
        }
        return b;
    }

    /** FuzzedDataProvider input for StreamFuzzTest: seeded random bytes (any bytes decode to a valid script). */
    private static void framing(Path dir) throws IOException {
        Random rnd = new Random(4);
        for (int size : new int[] {64, 700, 3000}) {
            byte[] b = new byte[size];
            rnd.nextBytes(b);
            write(dir, "random-" + size, b);
        }
    }

    private static void wav(Path dir) throws IOException {
        float[] speech = SpeechSynth.generate(0.002, 16000, 1); // 32 samples
        write(dir, "mono-s16", 0, wavFile(SampleEncoding.S16LE, 1, speech));
        write(dir, "stereo-f32", 5, wavFile(SampleEncoding.F32LE, 2, Arrays.copyOf(speech, 20)));
        write(dir, "extensible-3ch", 200, wavFile(SampleEncoding.S16LE, 3, Arrays.copyOf(speech, 24)));
        // a LIST chunk of odd size (and its pad byte) before the data
        byte[] plain = wavFile(SampleEncoding.S16LE, 1, Arrays.copyOf(speech, 8));
        ByteArrayOutputStream listed = new ByteArrayOutputStream();
        listed.write(plain, 0, 36);
        listed.writeBytes(new byte[] {'L', 'I', 'S', 'T', 3, 0, 0, 0, 'a', 'b', 'c', 0});
        listed.write(plain, 36, plain.length - 36);
        write(dir, "list-chunk", 1, listed.toByteArray());
        // unknown length (the pipe placeholder) and data ending inside a sample
        byte[] streaming = WavHeader.encode(SampleEncoding.S16LE, 1, 16000, -1);
        write(dir, "streaming-odd", 2, concat(streaming, new byte[33]));
        byte[] nan = wavFile(SampleEncoding.F32LE, 1, new float[] {0.5f, Float.NaN, 0.25f});
        write(dir, "f32-nan", 3, nan);
        // the hostile headers: 65535 channels, a fmt chunk of 0xfffffff0 bytes
        byte[] channels = plain.clone();
        channels[22] = (byte) 0xff;
        channels[23] = (byte) 0xff;
        write(dir, "channels-65535", 0, channels);
        byte[] fmt = plain.clone();
        ByteBuffer.wrap(fmt).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0xfffffff0);
        write(dir, "fmt-4GB", 0, fmt);
    }

    private static void raw(Path dir) throws IOException {
        byte[] s16 = new byte[7];
        new Random(1).nextBytes(s16);
        write(dir, "s16-mono-odd", new byte[] {0, 3}, s16);
        ByteBuffer f = ByteBuffer.allocate(6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        f.putFloat(0.5f).putFloat(-0.5f).putFloat(0.25f).putFloat(Float.POSITIVE_INFINITY).putFloat(0f).putFloat(1f);
        write(dir, "f32-stereo-inf", new byte[] {(byte) 0x81, 1}, f.array());
        byte[] f3 = new byte[13];
        write(dir, "f32-3ch-13-bytes", new byte[] {(byte) 0x82, 7}, f3);
        byte[] wide = new byte[64 * 2 * 3];
        new Random(2).nextBytes(wide);
        write(dir, "s16-64ch", new byte[] {63, (byte) 200}, wide);
    }

    private static void codes(Path dir) throws IOException {
        float[] speech = SpeechSynth.generate(0.01, 16000, 2); // 160 samples
        write(dir, "4bit-mono", 0, codeStream(4, 1, 32, speech));
        write(dir, "16bit-stereo", 9, codeStream(16, 2, 7, Arrays.copyOf(speech, 30)));
        write(dir, "1bit-3ch", 100, codeStream(1, 3, 5, Arrays.copyOf(speech, 33)));
        write(dir, "empty", 1, codeStream(4, 1, 320, new float[0]));
        byte[] corrupt = codeStream(4, 1, 16, Arrays.copyOf(speech, 40));
        corrupt[30] ^= 0x10;
        write(dir, "corrupt-block", 2, corrupt);
        byte[] whole = codeStream(3, 2, 8, Arrays.copyOf(speech, 40));
        write(dir, "truncated", 3, Arrays.copyOf(whole, whole.length - 9));
        // version 2 (CODESTREAM-2.md): BFP with exponents, short last gain blocks, the uniform scheme
        float[] quiet = new float[speech.length];
        for (int i = 0; i < quiet.length; i++) {
            quiet[i] = speech[i] * (i < 80 ? 0.01f : 0.5f);
        }
        write(dir, "v2-bfp-4bit-mono", 0, bfpStream(4, 8, 1, 32, quiet));
        write(dir, "v2-bfp-2bit-3ch-short", 7, bfpStream(2, 3, 3, 6, Arrays.copyOf(quiet, 3 * 13)));
        write(dir, "v2-bfp-8bit-stereo-n1", 33, bfpStream(8, 1, 2, 4, Arrays.copyOf(quiet, 2 * 9)));
        write(dir, "v2-uniform-5bit", 4, uniformV2Stream(5, 2, 7, Arrays.copyOf(speech, 30)));
        write(dir, "v2-empty", 1, bfpStream(4, 32, 1, 1280, new float[0]));
        byte[] exponent = bfpStream(5, 4, 1, 16, Arrays.copyOf(quiet, 40));
        exponent[21 + 2] ^= 0x04;                        // an exponent nibble of block 0
        write(dir, "v2-corrupt-exponent", 2, exponent);
        byte[] cut = bfpStream(3, 2, 2, 8, Arrays.copyOf(quiet, 40));
        write(dir, "v2-truncated", 3, Arrays.copyOf(cut, cut.length - 9));
    }

    private static byte[] bfpStream(int bits, int gain, int channels, int block, float[] interleaved)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodeStreamWriterV2 w = CodeStreamWriterV2.bfp(out, new BlockFloatQuantizer(bits, gain), channels, 16000,
                block);
        w.write(interleaved, 0, interleaved.length / channels * channels);
        w.finish();
        return out.toByteArray();
    }

    private static byte[] uniformV2Stream(int bits, int channels, int block, float[] interleaved) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodeStreamWriterV2 w = CodeStreamWriterV2.uniform(out, bits, channels, 16000, block);
        w.write(interleaved, 0, interleaved.length / channels * channels);
        w.finish();
        return out.toByteArray();
    }

    private static void models(Path dir) throws IOException {
        write(dir, "dct-8", ModelFile.toBytes(Operator.dct(8, 4, 16000, 10)));
        float[] k = new float[3 * 5];
        Random rnd = new Random(3);
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) rnd.nextGaussian();
        }
        write(dir, "random-3x5", ModelFile.toBytes(new Operator(5, 3, 2, 8000, 0.5, 10.0, 3, 5, "seed: Ω", k)));
        // a header claiming a 4096 x 1024 K and 64 KiB of provenance, with nothing after it
        ByteBuffer h = ByteBuffer.wrap(Arrays.copyOf(ModelFile.toBytes(Operator.dct(8, 4, 16000, 10)),
                ModelFile.HEADER_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(8, 1024).putInt(12, 4096).putInt(48, 65536);
        write(dir, "huge-header", h.array());
        // version 2: the scheme and its gain block after L and S
        write(dir, "dct-8-bfp", ModelFile.toBytes(Operator.dct(8, 4, 16000, 10).withScheme(Scheme.BFP, 4)));
        write(dir, "dct-8-ima-adpcm", ModelFile.toBytes(Operator.dct(8, 4, 16000, 10).withScheme(Scheme.IMA_ADPCM, 0)));
    }

    /**
     * FuzzedDataProvider input that decodes to a command line of WORDS (indices into CommandLineFuzzTest.WORDS):
     * integers and booleans are taken from the end of the data, one byte each here.
     */
    private static void commandLines(Path dir) throws IOException {
        write(dir, "dequantize-options", fdp(0, 10, 37, 31, 16, 44, 18, 19, 49)); // dequantize --bits 4 --shifts=4 ...
        write(dir, "quantize-help", fdp(1, 6));                            // quantize --help
        write(dir, "version", fdp(8));                                     // --version
        write(dir, "bad-number", fdp(0, 14, 40));                          // dequantize --batch 2147483648
    }

    private static byte[] fdp(int... words) {
        byte[] b = new byte[1 + 2 * words.length];
        int end = b.length;
        b[--end] = (byte) words.length;
        for (int w : words) {
            b[--end] = 1;          // consumeBoolean: a word of WORDS
            b[--end] = (byte) w;   // pickValue: its index
        }
        return b;
    }

    private static byte[] wavFile(SampleEncoding e, int channels, float[] interleaved) {
        int frames = interleaved.length / channels;
        ByteBuffer b = ByteBuffer.allocate(frames * channels * e.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames * channels; i++) {
            if (e == SampleEncoding.S16LE) {
                b.putShort((short) Math.round(interleaved[i] * 32767));
            } else {
                b.putFloat(interleaved[i]);
            }
        }
        return concat(WavHeader.encode(e, channels, 16000, frames), b.array());
    }

    private static byte[] codeStream(int bits, int channels, int block, float[] interleaved) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodeStreamWriter w = new CodeStreamWriter(out, bits, channels, 16000, block);
        int n = interleaved.length / channels * channels;
        w.write(interleaved, 0, n);
        w.finish();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void write(Path dir, String name, int shape, byte[] content) throws IOException {
        write(dir, name, new byte[] {(byte) shape}, content);
    }

    private static void write(Path dir, String name, byte[] prefix, byte[] content) throws IOException {
        write(dir, name, concat(prefix, content));
    }

    private static void write(Path dir, String name, byte[] content) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("seed-" + name), content);
    }
}
