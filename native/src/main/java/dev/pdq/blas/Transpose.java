package dev.pdq.blas;

/** Whether a matrix operand is used as stored or transposed; the values are the CBLAS enum codes. */
public enum Transpose {
    NO(111),
    YES(112);

    /** CBLAS_TRANSPOSE value (CblasNoTrans = 111, CblasTrans = 112). */
    public final int cblas;

    Transpose(int cblas) {
        this.cblas = cblas;
    }

    public boolean transposed() {
        return this == YES;
    }
}
