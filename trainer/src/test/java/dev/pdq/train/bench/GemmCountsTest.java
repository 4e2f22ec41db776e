package dev.pdq.train.bench;

import dev.pdq.blas.Blas;
import dev.pdq.blas.JavaBlas;
import dev.pdq.blas.Transpose;
import dev.pdq.operator.Dct;
import dev.pdq.train.grad.FullBackprop;
import dev.pdq.train.grad.GradientMethod;
import dev.pdq.train.grad.TruncatedBackprop;
import dev.pdq.train.loop.GradientMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bench's flop count is the gemms the gradient methods really call, shape by shape. */
class GemmCountsTest {
    private static final int N = 16;
    private static final int BATCH = 3;

    /** Counts sgemm calls by (transA, transB) and delegates to the Java backend. */
    private static final class CountingBlas implements Blas {
        final Blas inner = new JavaBlas();
        long noYes;
        long noNo;
        long yesNo;
        long other;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public String description() {
            return "counting Java BLAS";
        }

        @Override
        public FloatBuffer allocate(int length) {
            return inner.allocate(length);
        }

        @Override
        public void sgemv(Transpose trans, int m, int n, float alpha, FloatBuffer a, int aOff, int lda, FloatBuffer x,
                          int xOff, float beta, FloatBuffer y, int yOff) {
            other++;
            inner.sgemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
        }

        @Override
        public void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha, FloatBuffer a,
                          int aOff, int lda, FloatBuffer b, int bOff, int ldb, float beta, FloatBuffer c, int cOff,
                          int ldc) {
            if (!transA.transposed() && transB.transposed()) {
                noYes++;
            } else if (!transA.transposed() && !transB.transposed()) {
                noNo++;
            } else if (transA.transposed() && !transB.transposed()) {
                yesNo++;
            } else {
                other++;
            }
            inner.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        void reset() {
            noYes = noNo = yesNo = other = 0;
        }
    }

    @ParameterizedTest
    @CsvSource({"full, 1, 1", "full, 7, 1", "truncated, 1, 1", "truncated, 7, 3", "truncated, 12, 12"})
    void countsMatchTheCallsOfOneStep(String mode, int iterations, int b) {
        CountingBlas blas = new CountingBlas();
        GradientMode gm = GradientMode.parse(mode);
        GradientMethod method = gm == GradientMode.FULL ? new FullBackprop(blas, N, N, BATCH, iterations, 1f)
                : new TruncatedBackprop(blas, N, N, BATCH, iterations, b, 1f);
        method.setOperator(Dct.orthonormalDct2(N));
        Random rnd = new Random(5);
        float[] s = new float[BATCH * N];
        float[] x = new float[BATCH * N];
        for (int i = 0; i < s.length; i++) {
            s[i] = 0.5f * (rnd.nextFloat() - 0.5f);
            x[i] = Math.round(s[i] * 8) / 8f;
        }
        blas.reset();
        method.lossAndGradient(x, s, BATCH, 1f / 16, new float[N * N]);
        GemmCounts expected = GemmCounts.of(gm, iterations, b);
        assertEquals(expected.noYes(), blas.noYes, "NO,YES calls");
        assertEquals(expected.noNo(), blas.noNo, "NO,NO calls");
        assertEquals(expected.yesNo(), blas.yesNo, "YES,NO calls");
        assertEquals(0, blas.other, "no other BLAS call in a step");
        assertEquals(gm == GradientMode.FULL ? 6L * iterations - 1 : 2L * iterations + 2L * b + 1, expected.total());
    }
}
