package dev.pdq.train.testing;

import dev.pdq.audio.SampleEncoding;
import dev.pdq.audio.WavHeader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** WAV fixtures written on the spot, and smooth speech-like test signals. */
public final class Wavs {
    private Wavs() {
    }

    /** The bytes of a WAV file holding interleaved samples (values in [-1, 1) for 16-bit). */
    public static byte[] bytes(SampleEncoding encoding, int channels, int rate, float[] interleaved) {
        int frames = interleaved.length / channels;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WavHeader.encode(encoding, channels, rate, frames));
        ByteBuffer b = ByteBuffer.allocate(interleaved.length * encoding.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : interleaved) {
            if (encoding == SampleEncoding.S16LE) {
                b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32768f))));
            } else {
                b.putFloat(v);
            }
        }
        out.writeBytes(b.array());
        return out.toByteArray();
    }

    public static Path write(Path file, SampleEncoding encoding, int channels, int rate, float[] interleaved)
            throws IOException {
        Files.write(file, bytes(encoding, channels, rate, interleaved));
        return file;
    }

    /**
     * A smooth signal: a few low-frequency sines (below {@code maxHz}) of random amplitude and phase, peak
     * {@code peak}, 16-bit exact (multiples of 1/32768).
     */
    /**
     * A folder {@code parent/name} of {@code files} mono 16-bit WAVs of speech-like signal (file i: 0.05 + 0.01 i
     * seconds, seed + i), named name0.wav, name1.wav, ...: a tiny training corpus.
     */
    public static Path speechCorpus(Path parent, String name, int files, int rate, long seed) throws IOException {
        Path d = parent.resolve(name);
        Files.createDirectories(d);
        for (int i = 0; i < files; i++) {
            write(d.resolve(name + i + ".wav"), SampleEncoding.S16LE, 1, rate,
                    dev.pdq.demo.SpeechSynth.generate(0.05 + 0.01 * i, rate, seed + i));
        }
        return d;
    }

    public static float[] smooth(long seed, int length, int rate, double maxHz, double peak) {
        Random rnd = new Random(seed);
        int parts = 3;
        double[] f = new double[parts];
        double[] a = new double[parts];
        double[] p = new double[parts];
        for (int i = 0; i < parts; i++) {
            f[i] = 20 + (maxHz - 20) * rnd.nextDouble();
            a[i] = 0.3 + rnd.nextDouble();
            p[i] = 2 * Math.PI * rnd.nextDouble();
        }
        double[] s = new double[length];
        double max = 0;
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < parts; i++) {
                s[t] += a[i] * Math.sin(2 * Math.PI * f[i] * t / rate + p[i]);
            }
            max = Math.max(max, Math.abs(s[t]));
        }
        float[] out = new float[length];
        for (int t = 0; t < length; t++) {
            out[t] = Math.round(s[t] / max * peak * 32767) / 32768f;
        }
        return out;
    }
}
