package dev.pdq.train.loop;

import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.Blases;
import dev.pdq.operator.Operator;
import dev.pdq.solver.PrimalDual;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

import java.util.Locale;

/**
 * The exact ||K||_2 of a model against the power-iteration estimates its steps come from, and the convergence
 * condition sigma*tau*||K||^2 < 1 with the exact norm. A power iteration approaches sigma_max(K) from below and
 * stops when its estimate changes little, which is not the same as being close where the top singular values of
 * an overcomplete K lie close together; steps from a low estimate then break the condition that the solver's
 * convergence rests on, on every node the model ships to. pdq-train package and grow check each model they write.
 *
 * @param exact          sigma_max(K) by EJML's singular value decomposition in double
 * @param fileEstimate   the operator's own estimate ({@link Operator#spectralNorm()}: power iteration on K^T K in
 *                       double, what `pdq info` shows)
 * @param solverEstimate the norm the runtime's solver runs with ({@link PrimalDual#spectralNorm()}; it takes the
 *                       operator's own estimate), the one {@code sigma} and {@code tau} come from
 * @param sigma          the solver's primal-dual step sizes, as it runs them (float)
 * @param tau            likewise
 */
public record NormCheck(double exact, double fileEstimate, double solverEstimate, float sigma, float tau) {

    /** Checks an operator: its SVD, its own estimate, and the steps a freshly loaded solver sets. */
    public static NormCheck of(Operator op) {
        PrimalDual solver = op.newSolver(Blases.select(BlasChoice.JAVA, BlasOptions.DEFAULT), 1);
        return new NormCheck(exactNorm(op.matrix(), op.k(), op.n()), op.spectralNorm(), solver.spectralNorm(),
                solver.sigma(), solver.tau());
    }

    /**
     * sigma_max(K) = ||K||_2 by a singular value decomposition (EJML, double; no singular vectors). K is k x n
     * row-major and is not modified.
     */
    public static double exactNorm(float[] kMat, int k, int n) {
        DMatrixRMaj a = new DMatrixRMaj(k, n);
        for (int i = 0; i < kMat.length; i++) {
            a.data[i] = kMat[i];
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(k, n, false, false, true);
        if (!svd.decompose(a)) {
            throw new ArithmeticException("the singular value decomposition of K (" + k + " x " + n + ") failed");
        }
        double[] values = svd.getSingularValues();
        double max = 0;
        for (int i = 0; i < svd.numberOfSingularValues(); i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }

    /** sigma*tau*||K||^2 with the solver's float steps and the exact norm. */
    public double product() {
        return (double) sigma * tau * exact * exact;
    }

    /** The condition the solver's convergence needs: sigma*tau*||K||^2 < 1. */
    public boolean holds() {
        return product() < 1;
    }

    /** (exact - estimate) / exact for the solver's estimate: positive where the power iteration fell short. */
    public double shortfall() {
        return (exact - solverEstimate) / exact;
    }

    /** One line: both norms, the estimates' shortfall, and the product against 1. */
    public String describe() {
        return String.format(Locale.ROOT, "||K||_2 = %.10g by SVD; power iteration %.10g (model), %.10g (solver,"
                        + " relative shortfall %.2e); sigma*tau*||K||^2 = %.6f %s 1", exact, fileEstimate,
                solverEstimate, shortfall(), product(), holds() ? "<" : ">=");
    }
}
