package dev.pdq.train.corpus;

import dev.pdq.quant.Quantizer;

import java.util.List;

/**
 * The training frames: every utterance peak-normalized to 1 and cut into frames of n samples without overlap from
 * its first sample, its tail shorter than n dropped (as the paper). Every frame is kept, silent ones included (the
 * paper keeps them; they cost little and teach K that silence stays silent). Only the clean frames are stored;
 * the quantized frames are made per batch, after the epoch's gain (see {@link Level}), so one array of
 * count * n floats is all the memory a training set takes. Serializable: the Spark engine caches a partition's frames
 * on its executor, spilling them to disk under memory pressure.
 */
public final class FrameSet implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int n;
    private final int count;
    private final float[] frames;
    private final int[] utteranceOf;
    private final int utterances;

    private FrameSet(int n, int count, float[] frames, int[] utteranceOf, int utterances) {
        this.n = n;
        this.count = count;
        this.frames = frames;
        this.utteranceOf = utteranceOf;
        this.utterances = utterances;
    }

    /** Frames of the utterances, each peak-normalized first. */
    public static FrameSet of(List<Utterance> list, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("frame length n = " + n + " must be at least 1");
        }
        long total = 0;
        for (Utterance u : list) {
            total += u.samples().length / n;
        }
        if (total * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(total + " frames of " + n + " samples do not fit one array");
        }
        int count = (int) total;
        float[] frames = new float[count * n];
        int[] owner = new int[count];
        int f = 0;
        for (int u = 0; u < list.size(); u++) {
            float[] s = list.get(u).samples();
            double gain = 1.0 / list.get(u).peak();
            int m = s.length / n;
            for (int j = 0; j < m; j++) {
                int base = f * n;
                for (int i = 0; i < n; i++) {
                    frames[base + i] = (float) (s[j * n + i] * gain);
                }
                owner[f++] = u;
            }
        }
        return new FrameSet(n, count, frames, owner, list.size());
    }

    /** Frames made directly (tests): {@code frames} holds count * n clean samples, frame f of utterance f. */
    public static FrameSet ofFrames(float[] frames, int n) {
        if (frames.length % n != 0 || frames.length == 0) {
            throw new IllegalArgumentException("frames: " + frames.length + " samples is not a positive multiple of "
                    + n);
        }
        int count = frames.length / n;
        int[] owner = new int[count];
        for (int i = 0; i < count; i++) {
            owner[i] = i;
        }
        return new FrameSet(n, count, frames.clone(), owner, count);
    }

    public int frameLength() {
        return n;
    }

    public int count() {
        return count;
    }

    public int utterances() {
        return utterances;
    }

    /**
     * Fills a batch: for b < size, frame f = order[from + b] scaled by gains[utterance of f] into
     * {@code clean[b*n ..)} and its quantization into {@code quantized[b*n ..)}. Modifies clean and quantized.
     *
     * @param gains per-utterance gain of this epoch ({@link Level#trainingGains}), or null for 1
     */
    public void gather(int[] order, int from, int size, float[] gains, Quantizer quantizer, float[] clean,
                       float[] quantized) {
        for (int b = 0; b < size; b++) {
            int f = order[from + b];
            float g = gains == null ? 1f : gains[utteranceOf[f]];
            int src = f * n;
            int dst = b * n;
            for (int i = 0; i < n; i++) {
                float v = frames[src + i] * g;
                clean[dst + i] = v;
                quantized[dst + i] = quantizer.quantize(v);
            }
        }
    }
}
