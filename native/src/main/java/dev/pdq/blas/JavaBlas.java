package dev.pdq.blas;

import java.nio.FloatBuffer;

/**
 * Pure-Java BLAS. PLACEHOLDER: straightforward loops, correct but slow; to be replaced by a blocked kernel.
 */
public final class JavaBlas extends AbstractBlas {

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String description() {
        return "pure Java";
    }

    @Override
    public FloatBuffer allocate(int length) {
        return FloatBuffer.allocate(length);
    }

    @Override
    protected void doSgemv(Transpose trans, int m, int n, float alpha, FloatBuffer a, int aOff, int lda,
                           FloatBuffer x, int xOff, float beta, FloatBuffer y, int yOff) {
        int rows = trans.transposed() ? n : m, inner = trans.transposed() ? m : n;
        for (int i = 0; i < rows; i++) {
            float s = 0f;
            for (int j = 0; j < inner; j++) {
                float aij = trans.transposed() ? a.get(aOff + j * lda + i) : a.get(aOff + i * lda + j);
                s += aij * x.get(xOff + j);
            }
            float old = beta == 0f ? 0f : beta * y.get(yOff + i);
            y.put(yOff + i, alpha * s + old);
        }
    }

    @Override
    protected void doSgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                           FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                           float beta, FloatBuffer c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA.transposed() ? a.get(aOff + p * lda + i) : a.get(aOff + i * lda + p);
                    float bpj = transB.transposed() ? b.get(bOff + j * ldb + p) : b.get(bOff + p * ldb + j);
                    s += aip * bpj;
                }
                float old = beta == 0f ? 0f : beta * c.get(cOff + i * ldc + j);
                c.put(cOff + i * ldc + j, alpha * s + old);
            }
        }
    }
}
