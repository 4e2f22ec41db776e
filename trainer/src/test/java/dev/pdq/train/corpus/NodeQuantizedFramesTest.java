package dev.pdq.train.corpus;

import dev.pdq.adpcm.ImaNodeQuantizer;
import dev.pdq.quant.BlockFloatQuantizer;
import dev.pdq.quant.NodeQuantizer;
import dev.pdq.quant.Quantizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Training frames carry exactly what the node's quantizer gives for the whole utterance at the epoch's gain: cut
 * from segments (BFP's gain blocks) or from the utterance quantized from its start (IMA ADPCM, whose step index runs
 * on from block to block), for plain frames, shifted frames and the shifted grids' mirrored frames.
 */
class NodeQuantizedFramesTest {
    private static final int N = 64;

    static float[] speechLike(int len, long seed) {
        Random rnd = new Random(seed);
        float[] a = new float[len];
        for (int t = 0; t < len; t++) {
            double env = 0.2 + 0.8 * Math.abs(Math.sin(t / 700.0));
            a[t] = (float) (env * (0.6 * Math.sin(0.05 * t) + 0.2 * Math.sin(0.31 * t)) + 0.02 * rnd.nextGaussian());
        }
        return a;
    }

    /** x, below, above of the whole (peak-normalized, gain-scaled) utterance. */
    static float[][] whole(float[] a, float gain, NodeQuantizer q) {
        float peak = 0;
        for (float v : a) {
            peak = Math.max(peak, Math.abs(v));
        }
        float[] s = new float[a.length];
        for (int t = 0; t < a.length; t++) {
            s[t] = (float) (a[t] * (1.0 / peak)) * gain;
        }
        float[][] out = {new float[a.length], new float[a.length], new float[a.length], s};
        q.quantize(s, 0, a.length, out[0], out[1], out[2], 0);
        return out;
    }

    @Test
    void framesAreCutFromTheWholeUtterance() {
        float[] a = speechLike(3000, 1);
        FrameSet fs = FrameSet.of(List.of(new Utterance(Path.of("u.wav"), 0, 1, 16000, a)), N);
        float gain = 0.3f;
        for (NodeQuantizer q : new NodeQuantizer[] {new Quantizer(4), new BlockFloatQuantizer(4, 32),
                new ImaNodeQuantizer()}) {
            float[][] w = whole(a, gain, q);
            int[] order = new int[fs.count()];
            for (int i = 0; i < order.length; i++) {
                order[i] = order.length - 1 - i;
            }
            FrameBatch fb = new FrameBatch(order.length, N);
            fs.gather(order, 0, order.length, new float[] {gain}, new int[] {37}, q, fb);
            for (int b = 0; b < order.length; b++) {
                int t0 = Math.min(order[b] * N + 37, a.length - N);
                for (int i = 0; i < N; i++) {
                    String at = q.scheme() + " frame " + order[b] + " sample " + i;
                    assertEquals(w[3][t0 + i], fb.clean[b * N + i], 0f, at);
                    assertEquals(w[0][t0 + i], fb.x[b * N + i], 0f, at);
                    assertEquals(w[1][t0 + i], fb.below[b * N + i], 0f, at);
                    assertEquals(w[2][t0 + i], fb.above[b * N + i], 0f, at);
                }
            }
            // the grids' examples: mirrored at the start of the utterance
            GridSegments g = new GridSegments(fs, 4, 3);
            int per = g.framesPerExample();
            FrameBatch gb = new FrameBatch(per, N);
            g.gather(new int[] {0}, 0, 1, new float[] {gain}, null, q, gb);
            for (int f = 0; f < per; f++) {
                for (int i = 0; i < N; i++) {
                    int t = g.frameStart(f) + i;
                    int m = t < 0 ? -t : t;
                    assertEquals(w[0][m], gb.x[f * N + i], 0f, q.scheme() + " grid frame " + f + " sample " + i);
                    assertEquals(w[1][m], gb.below[f * N + i], 0f);
                }
            }
        }
    }
}
