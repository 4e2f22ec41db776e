package dev.pdq.train.corpus;

import dev.pdq.quant.Quantizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GridSegmentsTest {
    private static final int N = 8;

    @Test
    void everySegmentSampleIsCoveredOncePerGrid() {
        for (int grids : new int[] {1, 2, 4, 8}) {
            GridSegments g = new GridSegments(FrameSet.ofFrames(new float[10 * N], N), grids, 3);
            int m = g.segmentFrames();
            assertEquals(m + (grids - 1) * (m + 1), g.framesPerExample());
            int[][] covered = new int[grids][m * N];
            for (int f = 0; f < g.framesPerExample(); f++) {
                int grid = f < m ? 0 : 1 + (f - m) / (m + 1);
                assertEquals(0, Math.floorMod(g.frameStart(f) - grid * (N / grids), N), "frame " + f + " on grid "
                        + grid);
                for (int i = 0; i < N; i++) {
                    int t = g.frameStart(f) + i;
                    if (t >= 0 && t < m * N) {
                        covered[grid][t]++;
                    }
                }
            }
            for (int[] c : covered) {
                for (int t = 0; t < c.length; t++) {
                    assertEquals(1, c[t], "S = " + grids + ", sample " + t);
                }
            }
        }
    }

    @Test
    void gatherCutsTheShiftedFramesWithMirroredEnds() {
        float[] a = new float[5 * N + 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i + 1) / (float) a.length; // peak 1: peak normalization leaves it as it is
        }
        FrameSet fs = FrameSet.of(List.of(new Utterance(Path.of("u.wav"), 0, 1, 16000, a)), N);
        GridSegments g = new GridSegments(fs, 2, 2);
        assertEquals(2, g.count(), "5 frames make 2 segments of 2, the fifth frame dropped");
        int per = g.framesPerExample();
        FrameBatch fb = new FrameBatch(2 * per, N);
        float[] clean = fb.clean;
        float[] quant = fb.x;
        Quantizer q = new Quantizer(6);
        g.gather(new int[] {0, 1}, 0, 2, null, null, q, fb);
        for (int e = 0; e < 2; e++) {
            for (int f = 0; f < per; f++) {
                for (int i = 0; i < N; i++) {
                    int t = e * 2 * N + g.frameStart(f) + i;
                    int mirrored = t < 0 ? -t : t;
                    int at = (e * per + f) * N + i;
                    assertEquals(a[mirrored], clean[at], 1e-7f, "example " + e + " frame " + f + " sample " + i);
                    assertEquals(q.quantize(clean[at]), quant[at], 0f);
                }
            }
        }
    }

    @Test
    void refusesGridsThatDoNotDivideTheFrame() {
        FrameSet fs = FrameSet.ofFrames(new float[4 * N], N);
        assertThrows(IllegalArgumentException.class, () -> new GridSegments(fs, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new GridSegments(fs, 2, 0));
        assertEquals(7, GridSegments.segmentFramesFor(32, 4));
    }
}
