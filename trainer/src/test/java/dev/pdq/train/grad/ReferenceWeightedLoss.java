package dev.pdq.train.grad;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Independent double-precision reference of the CELP-weighted loss, for tests, written from the definitions with
 * dense matrices instead of recursions:
 *
 * <pre>
 *   R_i = sum_t sw_t sw_{t+i} of the Hamming-windowed clean frame, R_0 *= 1 + 1e-4
 *   a   = the solution of the Yule-Walker system  [R_|i-j|]_{i,j=1..p} a = -[R_i]_{i=1..p}  (EJML LU, not Levinson)
 *   W   = G T(b) T(c)^-1     T(q) the n x n lower-triangular Toeplitz matrix of the polynomial q (q_i on diagonal
 *                            -i), b_i = a_i g1^i, c_i = a_i g2^i, G such that W's first column has unit norm
 *   l   = (1 - w) 0.5 ||e||^2 + w 0.5 ||W e||^2,   dl/de = (1 - w) e + w W^T W e
 * </pre>
 */
final class ReferenceWeightedLoss implements ReferenceUnroll.Seed {
    final int order;
    final double g1;
    final double g2;
    final double weight;

    ReferenceWeightedLoss(int order, double g1, double g2, double weight) {
        this.order = order;
        this.g1 = g1;
        this.g2 = g2;
        this.weight = weight;
    }

    /** a_0 = 1, a_1..a_p of the clean frame s (all 0 beyond a_0 for a silent frame). */
    double[] lpc(double[] s) {
        int n = s.length;
        double[] sw = new double[n];
        for (int t = 0; t < n; t++) {
            sw[t] = s[t] * (0.54 - 0.46 * Math.cos(2 * Math.PI * t / (n - 1)));
        }
        double[] r = new double[order + 1];
        for (int i = 0; i <= order; i++) {
            for (int t = 0; t + i < n; t++) {
                r[i] += sw[t] * sw[t + i];
            }
        }
        r[0] *= 1 + 1e-4;
        double[] a = new double[order + 1];
        a[0] = 1;
        if (r[0] == 0) {
            return a;
        }
        DMatrixRMaj m = new DMatrixRMaj(order, order);
        DMatrixRMaj rhs = new DMatrixRMaj(order, 1);
        for (int i = 0; i < order; i++) {
            for (int j = 0; j < order; j++) {
                m.set(i, j, r[Math.abs(i - j)]);
            }
            rhs.set(i, 0, -r[i + 1]);
        }
        DMatrixRMaj sol = new DMatrixRMaj(order, 1);
        if (!CommonOps_DDRM.solve(m, rhs, sol)) {
            throw new IllegalStateException("singular Yule-Walker system");
        }
        for (int i = 0; i < order; i++) {
            a[i + 1] = sol.get(i, 0);
        }
        return a;
    }

    /** W (n x n) of the clean frame s. */
    DMatrixRMaj matrix(double[] s) {
        int n = s.length;
        double[] a = lpc(s);
        double[] b = new double[order + 1];
        double[] c = new double[order + 1];
        for (int i = 0; i <= order; i++) {
            b[i] = a[i] * Math.pow(g1, i);
            c[i] = a[i] * Math.pow(g2, i);
        }
        DMatrixRMaj tb = toeplitz(b, n);
        DMatrixRMaj tcInv = toeplitz(c, n);
        if (!CommonOps_DDRM.invert(tcInv)) {
            throw new IllegalStateException("T(c) is singular");
        }
        DMatrixRMaj w = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(tb, tcInv, w);
        double norm = 0;
        for (int t = 0; t < n; t++) {
            norm += w.get(t, 0) * w.get(t, 0);
        }
        CommonOps_DDRM.scale(1 / Math.sqrt(norm), w);
        return w;
    }

    private static DMatrixRMaj toeplitz(double[] q, int n) {
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < q.length && i <= t; i++) {
                m.set(t, t - i, q[i]);
            }
        }
        return m;
    }

    /** l(e) for the clean frame s. */
    double loss(double[] e, double[] s) {
        double[] we = times(matrix(s), e, false);
        double plain = 0;
        double shaped = 0;
        for (int t = 0; t < e.length; t++) {
            plain += e[t] * e[t];
            shaped += we[t] * we[t];
        }
        return (1 - weight) * 0.5 * plain + weight * 0.5 * shaped;
    }

    /** dl/de for the clean frame s. */
    double[] lossGradient(double[] e, double[] s) {
        DMatrixRMaj w = matrix(s);
        double[] back = times(w, times(w, e, false), true);
        double[] g = new double[e.length];
        for (int t = 0; t < e.length; t++) {
            g[t] = (1 - weight) * e[t] + weight * back[t];
        }
        return g;
    }

    /** As a seed of the backward recursion: dl/dy at y against s. */
    @Override
    public double[] gradient(double[] y, double[] s) {
        double[] e = new double[y.length];
        for (int t = 0; t < y.length; t++) {
            e[t] = y[t] - s[t];
        }
        return lossGradient(e, s);
    }

    /** The loss of every frame's output y against s, summed. */
    double totalLoss(double[][] y, double[][] s) {
        double sum = 0;
        for (int f = 0; f < y.length; f++) {
            double[] e = new double[y[f].length];
            for (int t = 0; t < e.length; t++) {
                e[t] = y[f][t] - s[f][t];
            }
            sum += loss(e, s[f]);
        }
        return sum;
    }

    /** m v, or m^T v. */
    static double[] times(DMatrixRMaj m, double[] v, boolean transposed) {
        int n = v.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int j = 0; j < n; j++) {
                acc += (transposed ? m.get(j, i) : m.get(i, j)) * v[j];
            }
            out[i] = acc;
        }
        return out;
    }
}
