package dev.pdq.train.grad;

import java.util.ArrayList;
import java.util.List;

/**
 * Independent double-precision reference of the unrolled primal-dual forward pass and of full and truncated
 * backpropagation, written plainly frame by frame with matrix-vector loops (no Blas, no batching), for tests.
 * K is k x n as double[k][n]; frames are double[B][n].
 */
final class ReferenceUnroll {
    final double[][] kMat;
    final int k;
    final int n;
    final double sigma;
    final double tau;
    final double theta;
    final double r;

    ReferenceUnroll(double[][] kMat, double sigma, double tau, double theta, double r) {
        this.kMat = kMat;
        this.k = kMat.length;
        this.n = kMat[0].length;
        this.sigma = sigma;
        this.tau = tau;
        this.theta = theta;
        this.r = r;
    }

    /** A frame's loss as the backward pass sees it: dl/dy^L of the frame's output y against its clean s. */
    interface Seed {
        double[] gradient(double[] y, double[] s);
    }

    /** The squared error 0.5 ||y - s||^2: dl/dy = y - s. */
    static final Seed SQUARED_ERROR = ReferenceUnroll::residual;

    /** The state of one frame after iteration l (1..L) and what led to it. */
    static final class Step {
        double[] ybarPrev; // ybar^{l-1}
        double[] zD;       // zD^l
        double[] psi;      // psi^l
        double[] zP;       // zP^l
        double[] y;        // y^l
    }

    /** All L iterations of Algorithm 1 on frame x. */
    List<Step> forward(double[] x, int iterations) {
        double[] y = x.clone();
        double[] ybar = x.clone();
        double[] psi = new double[k];
        List<Step> steps = new ArrayList<>(iterations);
        for (int l = 0; l < iterations; l++) {
            Step st = new Step();
            st.ybarPrev = ybar.clone();
            st.zD = new double[k];
            st.psi = new double[k];
            for (int i = 0; i < k; i++) {
                double kv = 0;
                for (int j = 0; j < n; j++) {
                    kv += kMat[i][j] * ybar[j];
                }
                st.zD[i] = psi[i] + sigma * kv;
                st.psi[i] = Math.max(-1, Math.min(1, st.zD[i]));
            }
            st.zP = new double[n];
            st.y = new double[n];
            double[] ybarNew = new double[n];
            for (int j = 0; j < n; j++) {
                double ktp = 0;
                for (int i = 0; i < k; i++) {
                    ktp += kMat[i][j] * st.psi[i];
                }
                st.zP[j] = y[j] - tau * ktp;
                st.y[j] = x[j] + Math.max(-r, Math.min(r, st.zP[j] - x[j]));
                ybarNew[j] = st.y[j] + theta * (st.y[j] - y[j]);
            }
            y = st.y;
            ybar = ybarNew;
            psi = st.psi;
            steps.add(st);
        }
        return steps;
    }

    /** y^L of every frame. */
    double[][] solve(double[][] x, int iterations) {
        double[][] out = new double[x.length][];
        for (int f = 0; f < x.length; f++) {
            List<Step> st = forward(x[f], iterations);
            out[f] = st.get(iterations - 1).y;
        }
        return out;
    }

    /** 0.5 * sum over frames ||y^L - s||^2. */
    double loss(double[][] x, double[][] s, int iterations) {
        double[][] y = solve(x, iterations);
        double sum = 0;
        for (int f = 0; f < x.length; f++) {
            for (int j = 0; j < n; j++) {
                double d = y[f][j] - s[f][j];
                sum += d * d;
            }
        }
        return 0.5 * sum;
    }

    /** Full backpropagation (Algorithm 2, eq. 9, corrected extrapolation), summed over frames. */
    double[][] fullGradient(double[][] x, double[][] s, int iterations, double alpha) {
        return fullGradient(x, s, iterations, alpha, SQUARED_ERROR);
    }

    /** The same from the seed deltaP = dl/dy^L of {@code seed}. */
    double[][] fullGradient(double[][] x, double[][] s, int iterations, double alpha, Seed seed) {
        double[][] g = new double[k][n];
        for (int f = 0; f < x.length; f++) {
            List<Step> steps = forward(x[f], iterations);
            double[] dP = seed.gradient(steps.get(iterations - 1).y, s[f]);
            double[] dD1 = new double[k];
            double[] dD2 = new double[k];
            for (int l = iterations; l >= 1; l--) {
                Step st = steps.get(l - 1);
                double[][] next = backStep(dP, dD1, dD2, st.zP, x[f], st.zD, alpha);
                dP = next[0];
                dD2 = dD1;
                dD1 = next[1];
                addOuter(g, sigma, dD1, st.ybarPrev);
                addOuter(g, -tau, st.psi, dP);
            }
        }
        return g;
    }

    /**
     * Truncated backpropagation (Theorem 2): b steps of the same recursion with masks frozen at iteration L,
     * starting from deltaP = y^L - s, deltaD = 0; grad = sigma * (sum deltaD) y^L^T - tau * psi^L (sum deltaP)^T.
     */
    double[][] truncatedGradient(double[][] x, double[][] s, int iterations, int b, double alpha) {
        return truncatedGradient(x, s, iterations, b, alpha, SQUARED_ERROR);
    }

    /** The same from the seed deltaP = dl/dy^L of {@code seed}. */
    double[][] truncatedGradient(double[][] x, double[][] s, int iterations, int b, double alpha, Seed seed) {
        double[][] g = new double[k][n];
        for (int f = 0; f < x.length; f++) {
            List<Step> steps = forward(x[f], iterations);
            Step last = steps.get(iterations - 1);
            double[] dP = seed.gradient(last.y, s[f]);
            double[] dD1 = new double[k];
            double[] dD2 = new double[k];
            double[] sumP = new double[n];
            double[] sumD = new double[k];
            for (int j = 0; j < b; j++) {
                double[][] next = backStep(dP, dD1, dD2, last.zP, x[f], last.zD, alpha);
                dP = next[0];
                dD2 = dD1;
                dD1 = next[1];
                for (int t = 0; t < n; t++) {
                    sumP[t] += dP[t];
                }
                for (int i = 0; i < k; i++) {
                    sumD[i] += dD1[i];
                }
            }
            addOuter(g, sigma, sumD, last.y);
            addOuter(g, -tau, last.psi, sumP);
        }
        return g;
    }

    /** {deltaP, deltaD} of one backward step from deltaP', deltaD', deltaD'' and the masks' arguments. */
    private double[][] backStep(double[] dP1, double[] dD1, double[] dD2, double[] zP, double[] x, double[] zD,
                                double alpha) {
        double[] dbar = new double[k];
        for (int i = 0; i < k; i++) {
            dbar[i] = (1 + theta) * dD1[i] - theta * dD2[i];
        }
        double[] dP = new double[n];
        for (int j = 0; j < n; j++) {
            double ktd = 0;
            for (int i = 0; i < k; i++) {
                ktd += kMat[i][j] * dbar[i];
            }
            dP[j] = Math.abs(zP[j] - x[j]) <= alpha ? dP1[j] + sigma * ktd : 0;
        }
        double[] dD = new double[k];
        for (int i = 0; i < k; i++) {
            double kdp = 0;
            for (int j = 0; j < n; j++) {
                kdp += kMat[i][j] * dP[j];
            }
            dD[i] = Math.abs(zD[i]) <= 1 ? dD1[i] - tau * kdp : 0;
        }
        return new double[][] {dP, dD};
    }

    /**
     * The smallest distance of any |zD| to 1 or any |zP - x| to alpha over all iterations and frames: how far the
     * inputs are from a kink of the masks.
     */
    double kinkMargin(double[][] x, int iterations, double alpha) {
        double margin = Double.POSITIVE_INFINITY;
        for (double[] frame : x) {
            for (Step st : forward(frame, iterations)) {
                for (double z : st.zD) {
                    margin = Math.min(margin, Math.abs(Math.abs(z) - 1));
                }
                for (int j = 0; j < n; j++) {
                    margin = Math.min(margin, Math.abs(Math.abs(st.zP[j] - frame[j]) - alpha));
                }
            }
        }
        return margin;
    }

    /** Counts of {inactive primal, active primal, inactive dual, active dual} mask entries over all iterations. */
    long[] maskCounts(double[][] x, int iterations, double alpha) {
        long[] c = new long[4];
        for (double[] frame : x) {
            for (Step st : forward(frame, iterations)) {
                for (int j = 0; j < n; j++) {
                    c[Math.abs(st.zP[j] - frame[j]) <= alpha ? 0 : 1]++;
                }
                for (double z : st.zD) {
                    c[Math.abs(z) <= 1 ? 2 : 3]++;
                }
            }
        }
        return c;
    }

    private static double[] residual(double[] y, double[] s) {
        double[] d = new double[y.length];
        for (int j = 0; j < y.length; j++) {
            d[j] = y[j] - s[j];
        }
        return d;
    }

    /** g += a * u v^T. */
    private static void addOuter(double[][] g, double a, double[] u, double[] v) {
        for (int i = 0; i < u.length; i++) {
            double au = a * u[i];
            for (int j = 0; j < v.length; j++) {
                g[i][j] += au * v[j];
            }
        }
    }
}
