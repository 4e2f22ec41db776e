package dev.pdq.testing;

/**
 * Algorithm 1 in double precision, written plainly from design.md with double[][] loops and no Blas: the
 * independent reference the float solver is compared with.
 *
 * <pre>
 *   y0 = ybar0 = x, psi0 = 0
 *   for l = 0 .. L-1:
 *       zD = psi + sigma * K ybar          ; psi_new = clip(zD, -1, 1)
 *       zP = y - tau * K^T psi_new         ; y_new = x + clip(zP - x, -r, r)
 *       ybar = y_new + theta * (y_new - y) ; y = y_new ; psi = psi_new
 * </pre>
 */
public final class ReferenceSolver {
    private final double[][] kMat;
    private final int k;
    private final int n;
    private final double sigma;
    private final double tau;
    private final double theta;

    /** The state after the last iteration of one frame. */
    public static final class State {
        public final double[] x;
        public final double[] y;
        public final double[] ybar;
        public final double[] psi;
        /** psi + sigma K ybar of the last iteration, before the clip. */
        public final double[] zD;
        /** y - tau K^T psi of the last iteration, before the projection. */
        public final double[] zP;

        State(double[] x, int k) {
            int n = x.length;
            this.x = x.clone();
            this.y = x.clone();
            this.ybar = x.clone();
            this.psi = new double[k];
            this.zD = new double[k];
            this.zP = new double[n];
        }
    }

    public ReferenceSolver(double[][] kMat, double sigma, double tau, double theta) {
        this.kMat = kMat;
        this.k = kMat.length;
        this.n = kMat[0].length;
        this.sigma = sigma;
        this.tau = tau;
        this.theta = theta;
    }

    /** The paper's steps: sigma = sqrt(ratio) * 0.99/||K||, tau = 0.99/(sqrt(ratio) ||K||). */
    public static ReferenceSolver withRatio(double[][] kMat, double ratio, double theta) {
        double norm = spectralNorm(kMat);
        return new ReferenceSolver(kMat, Math.sqrt(ratio) * 0.99 / norm, 0.99 / (Math.sqrt(ratio) * norm), theta);
    }

    /** L iterations on one frame x with box half width r. */
    public State run(double[] x, double r, int iterations) {
        State s = new State(x, k);
        for (int l = 0; l < iterations; l++) {
            iterate(s, r);
        }
        return s;
    }

    /** y^L of each row of xs. */
    public double[][] solve(double[][] xs, double r, int iterations) {
        double[][] out = new double[xs.length][];
        for (int f = 0; f < xs.length; f++) {
            out[f] = run(xs[f], r, iterations).y;
        }
        return out;
    }

    /** One iteration; modifies s. */
    public void iterate(State s, double r) {
        for (int i = 0; i < k; i++) {
            double kyb = 0;
            for (int j = 0; j < n; j++) {
                kyb += kMat[i][j] * s.ybar[j];
            }
            s.zD[i] = s.psi[i] + sigma * kyb;
            s.psi[i] = clip(s.zD[i], 1);
        }
        for (int j = 0; j < n; j++) {
            double ktpsi = 0;
            for (int i = 0; i < k; i++) {
                ktpsi += kMat[i][j] * s.psi[i];
            }
            double yOld = s.y[j];
            s.zP[j] = yOld - tau * ktpsi;
            double yNew = s.x[j] + clip(s.zP[j] - s.x[j], r);
            s.y[j] = yNew;
            s.ybar[j] = yNew + theta * (yNew - yOld);
        }
    }

    public double sigma() {
        return sigma;
    }

    public double tau() {
        return tau;
    }

    /**
     * ||K||_2 = sqrt(lambda_max(A)), A = K^T K, by repeated squaring: A_0 = A, A_{j+1} = A_j^2 / ||A_j^2||_F for
     * 30 steps, so that other eigenvalues are damped by (lambda_i/lambda_max)^(2^30) (power iteration alone crawls
     * when the top singular values cluster, as for a DCT plus small noise); then the Rayleigh quotient of A at the
     * column of A_30 with the largest norm, which lies in the top eigenspace.
     */
    public static double spectralNorm(double[][] kMat) {
        int k = kMat.length;
        int n = kMat[0].length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int r = 0; r < k; r++) {
                    s += kMat[r][i] * kMat[r][j];
                }
                a[i][j] = s;
            }
        }
        double[][] p = a;
        for (int step = 0; step < 30; step++) {
            double[][] q = new double[n][n];
            double frob = 0;
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < n; r++) {
                    double pir = p[i][r];
                    for (int j = 0; j < n; j++) {
                        q[i][j] += pir * p[r][j];
                    }
                }
                for (int j = 0; j < n; j++) {
                    frob += q[i][j] * q[i][j];
                }
            }
            frob = Math.sqrt(frob);
            if (frob == 0) {
                return 0;
            }
            for (double[] row : q) {
                for (int j = 0; j < n; j++) {
                    row[j] /= frob;
                }
            }
            p = q;
        }
        int best = 0;
        double bestNorm = -1;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += p[i][j] * p[i][j];
            }
            if (s > bestNorm) {
                bestNorm = s;
                best = j;
            }
        }
        double vv = 0;
        double vav = 0;
        for (int i = 0; i < n; i++) {
            double av = 0;
            for (int j = 0; j < n; j++) {
                av += a[i][j] * p[j][best];
            }
            vav += p[i][best] * av;
            vv += p[i][best] * p[i][best];
        }
        return Math.sqrt(vav / vv);
    }

    private static double clip(double v, double bound) {
        return Math.max(-bound, Math.min(bound, v));
    }
}
