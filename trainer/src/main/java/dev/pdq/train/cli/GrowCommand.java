package dev.pdq.train.cli;

import dev.pdq.cli.ExitCodes;
import dev.pdq.cli.PdqException;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Makes a trained K overcomplete for further training: stacks n rows of eps x the orthonormal DST-II under its k
 * rows (k -> k + n). The grown K starts near the trained one's solution (the new rows weigh eps in ||K y||_1) and
 * gives training rows to learn; rows of zeros would not do, their gradient is zero.
 */
@Command(name = "grow", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Stacks n rows of a scaled DST-II under a trained K (k -> k + n), to train on from there"
                + " (atomic write).")
final class GrowCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The trained operator file.")
    Path model;

    @Option(names = "--dst-scale", defaultValue = "0.1",
            description = "eps, the scale of the stacked DST-II rows (default: ${DEFAULT-VALUE}).")
    float scale;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The grown operator file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw PdqException.usage("--dst-scale " + scale + " must be positive and finite");
        }
        Operator op = ModelFile.read(model);
        int n = op.n();
        int k = op.k();
        float[] grown = new float[(k + n) * n];
        System.arraycopy(op.matrix(), 0, grown, 0, k * n);
        stackScaledDst2(grown, k, n, scale);
        Operator result;
        try {
            result = new Operator(n, k + n, op.bits(), op.sampleRate(), op.theta(), op.stepRatio(),
                    op.trainedIterations(), op.shifts(), "K of " + model.getFileName() + " (" + k + " rows) with "
                    + scale + " x orthonormal DST-II (" + n + " rows) stacked under it (pdq-train grow)\n"
                    + op.provenance().strip(), grown);
        } catch (IllegalArgumentException e) {
            throw PdqException.usage(model + " cannot grow: " + e.getMessage());
        }
        ModelOutput.write(result, out);
        Logger.info("wrote {}: K {} x {} (was {} x {})", out, k + n, n, k, n);
        return ExitCodes.OK;
    }

    /**
     * Writes eps x the orthonormal DST-II into rows k .. k + n - 1 of K (n columns): row f is
     * eps sqrt(c_f / n) sin(pi (j + 1/2)(f + 1) / n), c = 2 but 1 for the last row; each value rounded once.
     */
    static void stackScaledDst2(float[] kMat, int k, int n, float eps) {
        for (int f = 0; f < n; f++) {
            double rowScale = eps * Math.sqrt((f == n - 1 ? 1.0 : 2.0) / n);
            for (int j = 0; j < n; j++) {
                kMat[(k + f) * n + j] = (float) (rowScale * Math.sin(Math.PI * (j + 0.5) * (f + 1) / n));
            }
        }
    }
}
