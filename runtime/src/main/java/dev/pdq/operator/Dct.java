package dev.pdq.operator;

/** The orthonormal DCT-II, the paper's initialization of K and the model-based baseline. */
public final class Dct {
    private Dct() {
    }

    /**
     * The n x n orthonormal DCT-II matrix, row-major, in double:
     * C[k][j] = s_k * cos(pi * (2j + 1) * k / (2n)), s_0 = sqrt(1/n), s_k = sqrt(2/n) for k > 0.
     * StrictMath makes the result identical on every platform (the built-in model is compared bit for bit).
     */
    public static double[] orthonormalDct2Double(int n) {
        if (n <= 0 || n > Operator.MAX_DIMENSION) {
            throw new IllegalArgumentException("Dct: n = " + n + " not in 1.." + Operator.MAX_DIMENSION);
        }
        double[] c = new double[n * n];
        double s0 = StrictMath.sqrt(1.0 / n);
        double sk = StrictMath.sqrt(2.0 / n);
        for (int k = 0; k < n; k++) {
            double s = k == 0 ? s0 : sk;
            for (int j = 0; j < n; j++) {
                // reduce the angle's integer multiple exactly: (2j+1)k mod 4n, so large n keeps full accuracy
                long m = ((long) (2 * j + 1) * k) % (4L * n);
                c[k * n + j] = s * StrictMath.cos(Math.PI * m / (2.0 * n));
            }
        }
        return c;
    }

    /** {@link #orthonormalDct2Double} rounded to float. */
    public static float[] orthonormalDct2(int n) {
        double[] d = orthonormalDct2Double(n);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
