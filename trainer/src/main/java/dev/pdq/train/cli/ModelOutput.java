package dev.pdq.train.cli;

import dev.pdq.cli.PdqException;
import dev.pdq.operator.ModelFile;
import dev.pdq.operator.Operator;
import dev.pdq.train.loop.NormCheck;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.file.Path;

/** Writes a model that package or grow made, once its ||K|| and steps pass the exact check ({@link NormCheck}). */
final class ModelOutput {
    private ModelOutput() {
    }

    /**
     * Logs the exact ||K|| and sigma*tau*||K||^2, then writes {@code op} to {@code out} (atomically); where the
     * product is not below 1 nothing is written and the failure says why.
     */
    static void write(Operator op, Path out) throws IOException, PdqException {
        NormCheck check = NormCheck.of(op);
        Logger.info("{}", check.describe());
        if (!check.holds()) {
            throw PdqException.failure(out + " not written: " + check.describe() + ": the solver's steps, from a"
                    + " power iteration that fell short of ||K||, would not converge");
        }
        ModelFile.write(op, out);
    }
}
