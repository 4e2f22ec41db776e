package dev.pdq.train.grad;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;

import java.util.Random;
import java.util.function.DoubleSupplier;

/** Seeded small test problems and conversions between float[] (row-major) and double[][]. */
final class Problems {
    private Problems() {
    }

    /** A problem: K (k x n), quantized frames x and clean frames s (B x n), r, and the paper's sigma and tau. */
    record Problem(double[][] kMat, double[][] x, double[][] s, double r, double sigma, double tau) {
        ReferenceUnroll reference() {
            return new ReferenceUnroll(kMat, sigma, tau, 1.0, r);
        }
    }

    /** Orthonormal DCT-II (k x n, rows beyond n wrap in frequency) plus noise * N(0,1). */
    static double[][] operator(Random rnd, int k, int n, double noise) {
        double[][] m = new double[k][n];
        for (int i = 0; i < k; i++) {
            int f = i % n;
            double scale = Math.sqrt((f == 0 ? 1.0 : 2.0) / n);
            for (int j = 0; j < n; j++) {
                m[i][j] = scale * Math.cos(Math.PI * (j + 0.5) * f / n) + noise * rnd.nextGaussian();
            }
        }
        return m;
    }

    /** Smooth frames (a sine of random frequency and phase plus a little noise), quantized at {@code bits}. */
    static Problem random(long seed, int k, int n, int batch, int bits) {
        Random rnd = new Random(seed);
        double[][] kMat = operator(rnd, k, n, 0.1);
        double[][] s = new double[batch][n];
        double[][] x = new double[batch][n];
        int levels = 1 << bits;
        double step = 2.0 / levels;
        for (int f = 0; f < batch; f++) {
            double freq = 0.5 + 1.5 * rnd.nextDouble();
            double phase = 2 * Math.PI * rnd.nextDouble();
            for (int t = 0; t < n; t++) {
                s[f][t] = 0.6 * Math.sin(2 * Math.PI * freq * t / n + phase) + 0.05 * rnd.nextGaussian();
                double c = Math.max(0, Math.min(levels - 1, Math.floor((s[f][t] + 1) / step)));
                x[f][t] = -1 + step * (c + 0.5);
            }
        }
        double norm = NormOps_DDRM.normP2(new DMatrixRMaj(kMat));
        return new Problem(kMat, x, s, 1.0 / levels, 10 * 0.99 / norm, 0.1 * 0.99 / norm);
    }

    /** The same problem with every value rounded to float, so that float code and the reference see equal inputs. */
    static Problem roundedToFloat(Problem p) {
        return new Problem(round(p.kMat), round(p.x), round(p.s), (float) p.r, (float) p.sigma, (float) p.tau);
    }

    static double[][] round(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                out[i][j] = (float) m[i][j];
            }
        }
        return out;
    }

    static float[] flat(double[][] m) {
        int cols = m[0].length;
        float[] out = new float[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) m[i][j];
            }
        }
        return out;
    }

    /**
     * The central differences (f(K + h E_ij) - f(K - h E_ij)) / 2h, h = {@link ReferenceUnrollTest#FD_STEP}, of
     * {@code loss} (which reads kMat) at every entry of kMat, k x n; each entry is restored after its pair.
     */
    static double[][] centralDifferences(double[][] kMat, DoubleSupplier loss) {
        double h = ReferenceUnrollTest.FD_STEP;
        double[][] fd = new double[kMat.length][kMat[0].length];
        for (int i = 0; i < fd.length; i++) {
            for (int j = 0; j < fd[i].length; j++) {
                double saved = kMat[i][j];
                kMat[i][j] = saved + h;
                double up = loss.getAsDouble();
                kMat[i][j] = saved - h;
                double down = loss.getAsDouble();
                kMat[i][j] = saved;
                fd[i][j] = (up - down) / (2 * h);
            }
        }
        return fd;
    }

    /** ||a - b||_F / ||b||_F, a row-major k x n. */
    static double relativeError(float[] a, double[][] b) {
        double num = 0;
        double den = 0;
        int cols = b[0].length;
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < cols; j++) {
                double d = a[i * cols + j] - b[i][j];
                num += d * d;
                den += b[i][j] * b[i][j];
            }
        }
        return Math.sqrt(num / den);
    }

    /** ||a - b||_F / ||b||_F. */
    static double relativeError(double[][] a, double[][] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < b[i].length; j++) {
                double d = a[i][j] - b[i][j];
                num += d * d;
                den += b[i][j] * b[i][j];
            }
        }
        return Math.sqrt(num / den);
    }

    /** ||a - b||_F / ||b||_F for row-major arrays. */
    static double relativeError(float[] a, float[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < b.length; i++) {
            double d = a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }
}
