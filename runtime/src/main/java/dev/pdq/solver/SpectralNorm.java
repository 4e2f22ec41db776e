package dev.pdq.solver;

import dev.pdq.blas.Blas;
import dev.pdq.blas.Transpose;

import java.nio.FloatBuffer;

/**
 * Spectral norm ||K||_2 of a k x n row-major matrix by power iteration on K^T K, warm-started from the last
 * right singular vector estimate so that re-estimating after a small update of K (a training step) takes a few
 * iterations. Workspace is allocated once.
 */
public final class SpectralNorm {
    private final Blas blas;
    private final int k;
    private final int n;
    private final FloatBuffer v;
    private final FloatBuffer u;
    private boolean started;

    public SpectralNorm(Blas blas, int k, int n) {
        this.blas = blas;
        this.k = k;
        this.n = n;
        this.v = blas.allocate(n);
        this.u = blas.allocate(k);
    }

    /** Floats of workspace allocated at construction. */
    public long workspaceFloats() {
        return (long) n + k;
    }

    /**
     * Estimates ||K||_2: repeats u = K v, v = K^T u / ||K^T u|| until the estimate changes by less than
     * {@code relTol} (relative) or {@code maxIterations} are done. Modifies only this object's workspace.
     */
    public double estimate(FloatBuffer kMat, double relTol, int maxIterations) {
        // warm start, unless there is none or the last estimate left v unusable (K was zero or not finite)
        double vNorm = started ? normalize(v, n) : 0;
        if (!(vNorm > 0) || !Double.isFinite(vNorm)) {
            // a fixed, non-special start: every component non-zero, not aligned with DCT rows
            for (int i = 0; i < n; i++) {
                v.put(i, (float) (1.0 + 0.5 * Math.sin(1.3 * i + 0.7)));
            }
            normalize(v, n);
            started = true;
        }
        double estimate = 0;
        for (int it = 0; it < maxIterations; it++) {
            blas.sgemv(Transpose.NO, k, n, 1f, kMat, 0, n, v, 0, 0f, u, 0);
            blas.sgemv(Transpose.YES, k, n, 1f, kMat, 0, n, u, 0, 0f, v, 0);
            double next = Math.sqrt(normalize(v, n)); // ||K^T K v|| -> sigma_max^2
            if (!Double.isFinite(next)) {
                return next;
            }
            boolean done = it > 0 && Math.abs(next - estimate) <= relTol * next;
            estimate = next;
            if (done) {
                break;
            }
        }
        return estimate;
    }

    /** Scales buf[0..len) to unit norm; returns its norm before scaling. Modifies buf. */
    private static double normalize(FloatBuffer buf, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            double e = buf.get(i);
            s += e * e;
        }
        double norm = Math.sqrt(s);
        if (norm > 0 && Double.isFinite(norm)) {
            float inv = (float) (1.0 / norm);
            for (int i = 0; i < len; i++) {
                buf.put(i, buf.get(i) * inv);
            }
        }
        return norm;
    }
}
