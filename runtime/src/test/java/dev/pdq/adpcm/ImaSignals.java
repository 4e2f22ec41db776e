package dev.pdq.adpcm;

import dev.pdq.audio.AudioFormatException;
import dev.pdq.audio.CellReader;
import dev.pdq.audio.PcmWriter;
import dev.pdq.demo.SpeechSynth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

/** Test signals and helpers for the IMA ADPCM tests. */
final class ImaSignals {

    private ImaSignals() {
    }

    /**
     * {@code frames} interleaved sample frames of {@code channels} channels, each channel a different kind of
     * signal: speech-like at full scale, the same at -30 dBFS, a square wave clipping at both range ends (top
     * cells, clamping), white noise, silence with an impulse, a sine sweep; kind k goes to channel k mod 6 shifted
     * by {@code seed}.
     */
    static float[] mixed(int frames, int channels, long seed) {
        float[] v = new float[frames * channels];
        float[] speech = SpeechSynth.generate(Math.max(frames, 1) / 16000.0 + 0.001, 16000, seed);
        float peak = 1e-9f;
        for (float s : speech) {
            peak = Math.max(peak, Math.abs(s));
        }
        Random rnd = new Random(seed);
        for (int c = 0; c < channels; c++) {
            int kind = (int) ((c + seed) % 6);
            for (int t = 0; t < frames; t++) {
                float s;
                switch (kind) {
                    case 0 -> s = speech[t] / peak * 0.999f;
                    case 1 -> s = speech[t] / peak * 0.0316f;
                    case 2 -> s = (t / 37) % 2 == 0 ? 1.5f : -1.5f;
                    case 3 -> s = (float) (rnd.nextGaussian() * 0.2);
                    case 4 -> s = t % 300 == 150 ? 0.9f : 0f;
                    default -> s = (float) (0.7 * Math.sin(2 * Math.PI * (50.0 + 3.0 * t) * t / 16000));
                }
                v[t * channels + c] = s;
            }
        }
        return v;
    }

    /** The 16-bit samples a writer encodes for these values. */
    static int[] s16(float[] v) {
        int[] s = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = PcmWriter.toS16(v[i]);
        }
        return s;
    }

    /** pdq's WAV of the values, with the pipe header (unknown length). */
    static byte[] write(float[] v, int channels, int blockAlign) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImaWavWriter w = ImaWavWriter.open(out, channels, 16000, blockAlign)) {
            w.write(v, 0, v.length);
        }
        return out.toByteArray();
    }

    /** The file with its header rewritten for {@code frames} sample frames. */
    static byte[] sized(byte[] wav, int channels, int blockAlign, long frames) {
        byte[] h = dev.pdq.audio.WavHeader.encodeIma(channels, 16000, blockAlign, frames);
        byte[] out = wav.clone();
        System.arraycopy(h, 0, out, 0, h.length);
        return out;
    }

    /** Everything a CellReader delivers, in LSB, read in calls of {@code len} values; and the fault, if any. */
    record Cells(int[] x, int[] lo, int[] hi, IOException fault) {
    }

    static Cells readAll(CellReader r, int len) {
        float[] x = new float[len];
        float[] below = new float[len];
        float[] above = new float[len];
        int[] ax = new int[1024];
        int[] alo = new int[1024];
        int[] ahi = new int[1024];
        int at = 0;
        while (true) {
            int n;
            try {
                n = r.readCells(x, below, above, 0, len);
            } catch (IOException e) {
                return new Cells(Arrays.copyOf(ax, at), Arrays.copyOf(alo, at), Arrays.copyOf(ahi, at), e);
            }
            if (n < 0) {
                return new Cells(Arrays.copyOf(ax, at), Arrays.copyOf(alo, at), Arrays.copyOf(ahi, at), null);
            }
            if (at + n > ax.length) {
                int size = Math.max(2 * ax.length, at + n);
                ax = Arrays.copyOf(ax, size);
                alo = Arrays.copyOf(alo, size);
                ahi = Arrays.copyOf(ahi, size);
            }
            for (int i = 0; i < n; i++) {
                float s = x[i] * 32768f;
                if (s != Math.rint(s) || below[i] > 0 || above[i] < 0) {
                    throw new AssertionError("value " + x[i] + " with cell [" + below[i] + ", " + above[i] + "]");
                }
                ax[at + i] = (int) s;
                alo[at + i] = (int) (s + below[i] * 32768f);
                ahi[at + i] = (int) (s + above[i] * 32768f);
            }
            at += n;
        }
    }

    static AudioFormatException.Kind kind(IOException e) {
        return e instanceof AudioFormatException f ? f.kind() : null;
    }
}
