package dev.pdq.train.corpus;

import dev.pdq.quant.NodeQuantizer;
import dev.pdq.stream.FrameGrid;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The training frames: every utterance peak-normalized to 1 and cut into frames of n samples without overlap from
 * its first sample, its tail shorter than n dropped (as the paper). Every frame is kept, silent ones included (the
 * paper keeps them; they cost little and teach K that silence stays silent). The normalized utterances are stored
 * whole, so a batch can also take its frames from a grid shifted by an offset per utterance ({@link #shifts}: the
 * shifted-grid augmentation); the quantized frames are made per batch, after the epoch's gain (see {@link Level}),
 * so the clean signal (about one float per sample) is all the memory a training set takes. Serializable: the Spark
 * engine caches a partition's frames on its executor, spilling them to disk under memory pressure.
 */
public final class FrameSet implements TrainingExamples, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int n;
    private final int count;
    private final float[] samples;
    /** Per utterance: its first sample in {@link #samples} and its length. */
    private final int[] start;
    private final int[] length;
    /** Per utterance: its corpus, an index into {@link #corpora}. */
    private final int[] corpusOf;
    private final List<String> corpora;
    /** Per frame: its utterance and its index j in that utterance (unshifted start j * n). */
    private final int[] utteranceOf;
    private final int[] indexOf;

    private FrameSet(int n, float[] samples, int[] start, int[] length, int[] corpusOf, List<String> corpora) {
        this.n = n;
        this.samples = samples;
        this.start = start;
        this.length = length;
        this.corpusOf = corpusOf;
        this.corpora = List.copyOf(corpora);
        long total = 0;
        for (int len : length) {
            total += len / n;
        }
        this.count = (int) total;
        this.utteranceOf = new int[count];
        this.indexOf = new int[count];
        int f = 0;
        for (int u = 0; u < length.length; u++) {
            for (int j = 0; j < length[u] / n; j++) {
                utteranceOf[f] = u;
                indexOf[f++] = j;
            }
        }
    }

    /** Frames of the utterances, each peak-normalized first. */
    public static FrameSet of(List<Utterance> list, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("frame length n = " + n + " must be at least 1");
        }
        long total = 0;
        for (Utterance u : list) {
            total += u.samples().length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(total + " samples do not fit one array");
        }
        float[] samples = new float[(int) total];
        int[] start = new int[list.size()];
        int[] length = new int[list.size()];
        int[] corpusOf = new int[list.size()];
        List<String> corpora = new java.util.ArrayList<>();
        int at = 0;
        for (int u = 0; u < list.size(); u++) {
            String group = list.get(u).group();
            int c = corpora.indexOf(group);
            if (c < 0) {
                c = corpora.size();
                corpora.add(group);
            }
            corpusOf[u] = c;
            float[] s = list.get(u).samples();
            double gain = 1.0 / list.get(u).peak();
            start[u] = at;
            length[u] = s.length;
            for (float v : s) {
                samples[at++] = (float) (v * gain);
            }
        }
        return new FrameSet(n, samples, start, length, corpusOf, corpora);
    }

    /** Frames made directly (tests): {@code frames} holds count * n clean samples, frame f of utterance f. */
    public static FrameSet ofFrames(float[] frames, int n) {
        if (frames.length % n != 0 || frames.length == 0) {
            throw new IllegalArgumentException("frames: " + frames.length + " samples is not a positive multiple of "
                    + n);
        }
        int count = frames.length / n;
        int[] start = new int[count];
        int[] length = new int[count];
        for (int i = 0; i < count; i++) {
            start[i] = i * n;
            length[i] = n;
        }
        return new FrameSet(n, frames.clone(), start, length, new int[count], List.of(""));
    }

    @Override
    public int frameLength() {
        return n;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int utterances() {
        return length.length;
    }

    @Override
    public int[] corpusOfExamples() {
        int[] c = new int[count];
        for (int f = 0; f < count; f++) {
            c[f] = corpusOf[utteranceOf[f]];
        }
        return c;
    }

    @Override
    public List<String> corpora() {
        return corpora;
    }

    /** The corpus of utterance u. */
    int corpusOf(int u) {
        return corpusOf[u];
    }

    /** Frames of utterance u (its length over n, the tail dropped). */
    int framesOf(int u) {
        return length[u] / n;
    }

    int lengthOf(int u) {
        return length[u];
    }

    /**
     * Sample t of utterance u (peak-normalized), mirrored at the ends (t = -1 is sample 1, t = length is sample
     * length - 2), as the runtime pads a stream for shifted grids.
     */
    float sample(int u, int t) {
        return samples[start[u] + mirror(u, t)];
    }

    /**
     * The grid offsets of epoch e for the shifted-grid augmentation: per utterance an offset uniform in [0, n)
     * drawn from (seed, e, utterance), so a resumed run recomputes them.
     */
    @Override
    public int[] shifts(long seed, int epoch) {
        return shifts(seed, epoch, length.length, n);
    }

    /** {@link #shifts(long, int)} of {@code utterances} utterances and frame length n, wherever their frames are. */
    public static int[] shifts(long seed, int epoch, int utterances, int n) {
        int[] s = new int[utterances];
        for (int u = 0; u < s.length; u++) {
            s[u] = new SplittableRandom(Seeds.mix(seed, Seeds.SHIFT, epoch, u)).nextInt(n);
        }
        return s;
    }

    /**
     * Fills a batch: for b < size, frame f = order[from + b] of its utterance scaled by gains[utterance of f], its
     * clean samples into {@code batch.clean[b*n ..)} and what the decoder knows of them into x, below and above.
     * Frame j of utterance u starts at sample j * n + shifts[u], or at the utterance's last n samples where that
     * would run past its end (the count of frames stays the same for every shift). Modifies batch.
     *
     * @param gains  per-utterance gain of this epoch ({@link Level#trainingGains}), or null for 1
     * @param shifts per-utterance grid offset ({@link #shifts}), or null for the unshifted grid
     */
    @Override
    public void gather(int[] order, int from, int size, float[] gains, int[] shifts, NodeQuantizer q,
                       FrameBatch batch) {
        Window w = new Window();
        for (int b = 0; b < size; b++) {
            int f = order[from + b];
            int u = utteranceOf[f];
            float g = gains == null ? 1f : gains[u];
            int offset = Math.min(indexOf[f] * n + (shifts == null ? 0 : shifts[u]), length[u] - n);
            w.quantize(this, u, g, q, offset, offset + n);
            w.copy(offset, batch, b * n, n);
        }
    }

    /**
     * An utterance's samples [a, b) at a gain as the node quantized them: the whole segments of the node's quantizer
     * that cover [a, b), from the segment start before a (cells may depend on earlier samples of the segment: a
     * block's gain, an ADPCM predictor, so the segments are quantized whole). Grows as needed; one per call of
     * gather, reused for its frames.
     */
    static final class Window {
        private float[] clean = new float[0];
        private float[] x = new float[0];
        private float[] below = new float[0];
        private float[] above = new float[0];
        private int start;

        /**
         * Quantizes the segments of utterance u that cover [a, b) (0 <= a < b <= its length); a quantizer whose
         * segment is the whole signal takes the utterance from the set's cache of the epoch.
         */
        void quantize(FrameSet set, int u, float gain, NodeQuantizer q, int a, int b) {
            int seg = q.segmentLength();
            if (seg <= 0) {
                Whole w = set.whole(u, gain, q);
                clean = w.clean;
                x = w.x;
                below = w.below;
                above = w.above;
                start = 0;
                return;
            }
            int len = set.length[u];
            start = a / seg * seg;
            int end = (int) Math.min(len, ((long) b + seg - 1) / seg * seg);
            int count = end - start;
            if (clean.length < count) {
                clean = new float[count];
                x = new float[count];
                below = new float[count];
                above = new float[count];
            }
            int src = set.start[u] + start;
            for (int i = 0; i < count; i++) {
                clean[i] = set.samples[src + i] * gain;
            }
            q.quantize(clean, 0, count, x, below, above, 0);
        }

        /** Copies utterance samples [t, t + count) of the window into the batch at {@code dst}. */
        void copy(int t, FrameBatch batch, int dst, int count) {
            int i0 = t - start;
            System.arraycopy(clean, i0, batch.clean, dst, count);
            System.arraycopy(x, i0, batch.x, dst, count);
            System.arraycopy(below, i0, batch.below, dst, count);
            System.arraycopy(above, i0, batch.above, dst, count);
        }

        /** Copies utterance sample t of the window into the batch at {@code dst}. */
        void copyOne(int t, FrameBatch batch, int dst) {
            int i = t - start;
            batch.clean[dst] = clean[i];
            batch.x[dst] = x[i];
            batch.below[dst] = below[i];
            batch.above[dst] = above[i];
        }
    }

    /** A whole utterance at a gain, quantized from its start. */
    private record Whole(float gain, NodeQuantizer q, float[] clean, float[] x, float[] below, float[] above) {
    }

    /**
     * Whole quantized utterances for quantizers whose state runs through the signal (segment length 0), kept while
     * the gain and quantizer stay the same (an epoch): each is quantized once an epoch, not once a frame. Up to
     * four floats a sample of the training set; not serialized.
     */
    private transient Whole[] wholes;

    private synchronized Whole whole(int u, float gain, NodeQuantizer q) {
        if (wholes == null) {
            wholes = new Whole[length.length];
        }
        Whole w = wholes[u];
        if (w == null || w.gain() != gain || w.q() != q) {
            int len = length[u];
            float[] clean = new float[len];
            for (int i = 0; i < len; i++) {
                clean[i] = samples[start[u] + i] * gain;
            }
            float[] x = new float[len];
            float[] below = new float[len];
            float[] above = new float[len];
            q.quantize(clean, 0, len, x, below, above, 0);
            w = new Whole(gain, q, clean, x, below, above);
            wholes[u] = w;
        }
        return w;
    }

    /** The position of utterance u's sample standing at t: mirrored about its first and last sample. */
    int mirror(int u, int t) {
        return FrameGrid.mirror(t, length[u]);
    }
}
