package dev.pdq.train.corpus;

import dev.pdq.quant.NodeQuantizer;

/**
 * Examples for training through the averaged output of S shifted frame grids (the runtime's {@code --shifts S}):
 * an example is a segment of M consecutive frames of an utterance, [p, p + M n), and every frame that covers it.
 * Grid 0 covers it with its M frames at p + i n; grid g (1 .. S-1, offset o = g n / S) with M + 1 frames at
 * p + o - n + i n. So an example is {@code M + (S-1)(M+1)} solver frames, laid out grid by grid in that order (see
 * {@link #frameStart}); samples outside the utterance are mirrored (as the runtime pads a stream). Segments tile each
 * utterance from its first sample (its tail of fewer than M frames dropped), or from the epoch's grid offset with
 * the shifted-grid augmentation.
 */
public final class GridSegments implements TrainingExamples {
    private final FrameSet frames;
    private final int n;
    private final int grids;
    private final int m;
    private final int[] utteranceOf;
    private final int[] indexOf;

    /**
     * @param grids S, dividing n
     * @param m     M, frames per segment
     */
    public GridSegments(FrameSet frames, int grids, int m) {
        this.frames = frames;
        this.n = frames.frameLength();
        if (grids < 1 || n % grids != 0) {
            throw new IllegalArgumentException("grids S = " + grids + " must divide the frame length " + n);
        }
        if (m < 1) {
            throw new IllegalArgumentException("frames per segment M = " + m + " must be at least 1");
        }
        this.grids = grids;
        this.m = m;
        int count = 0;
        for (int u = 0; u < frames.utterances(); u++) {
            count += frames.framesOf(u) / m;
        }
        utteranceOf = new int[count];
        indexOf = new int[count];
        int e = 0;
        for (int u = 0; u < frames.utterances(); u++) {
            for (int j = 0; j < frames.framesOf(u) / m; j++) {
                utteranceOf[e] = u;
                indexOf[e++] = j;
            }
        }
    }

    /** The largest M whose example fits a batch of {@code batch} frames: M + (S-1)(M+1) <= batch. */
    public static int segmentFramesFor(int batch, int grids) {
        return (batch - (grids - 1)) / grids;
    }

    public int grids() {
        return grids;
    }

    public int segmentFrames() {
        return m;
    }

    /**
     * Where solver frame f (0 .. framesPerExample - 1) of an example starts, relative to the segment's first sample:
     * grid 0's frames first, then grid 1's, and so on.
     */
    public int frameStart(int f) {
        if (f < m) {
            return f * n;
        }
        int g = 1 + (f - m) / (m + 1);
        int i = (f - m) % (m + 1);
        return g * (n / grids) - n + i * n;
    }

    @Override
    public int frameLength() {
        return n;
    }

    @Override
    public int count() {
        return utteranceOf.length;
    }

    @Override
    public int utterances() {
        return frames.utterances();
    }

    @Override
    public int framesPerExample() {
        return m + (grids - 1) * (m + 1);
    }

    @Override
    public int lossFramesPerExample() {
        return m;
    }

    @Override
    public int[] corpusOfExamples() {
        int[] c = new int[utteranceOf.length];
        for (int e = 0; e < c.length; e++) {
            c[e] = frames.corpusOf(utteranceOf[e]);
        }
        return c;
    }

    @Override
    public java.util.List<String> corpora() {
        return frames.corpora();
    }

    @Override
    public int[] shifts(long seed, int epoch) {
        return frames.shifts(seed, epoch);
    }

    @Override
    public void gather(int[] order, int from, int size, float[] gains, int[] shifts, NodeQuantizer q,
                       FrameBatch batch) {
        int per = framesPerExample();
        int first = Math.min(0, frameStart(m)); // grid 1's first frame starts before the segment
        int last = m * n; // every grid ends at most one frame past the segment's end
        FrameSet.Window w = new FrameSet.Window();
        for (int b = 0; b < size; b++) {
            int e = order[from + b];
            int u = utteranceOf[e];
            float g = gains == null ? 1f : gains[u];
            int p = Math.min(indexOf[e] * m * n + (shifts == null ? 0 : shifts[u]), frames.lengthOf(u) - m * n);
            // the utterance samples the example's frames stand on (mirrored at its ends)
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            for (int t = p + first; t < p + last + n; t++) {
                int s = frames.mirror(u, t);
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
            }
            w.quantize(frames, u, g, q, lo, hi + 1);
            for (int f = 0; f < per; f++) {
                int t0 = p + frameStart(f);
                int dst = (b * per + f) * n;
                for (int i = 0; i < n; i++) {
                    w.copyOne(frames.mirror(u, t0 + i), batch, dst + i);
                }
            }
        }
    }
}
