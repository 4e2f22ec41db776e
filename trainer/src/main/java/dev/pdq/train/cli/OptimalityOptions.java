package dev.pdq.train.cli;

import dev.pdq.cli.PdqException;
import picocli.CommandLine.Option;

/** Optimality inference (iterating until converged) of eval and experiment: whether, how close, how long at most. */
public final class OptimalityOptions {
    @Option(names = "--optimality", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Score optimality inference too (default: on; --no-optimality skips it).")
    boolean on;

    @Option(names = "--tol", defaultValue = "1e-6",
            description = "Optimality: stop a batch when every frame's ||y^{l+1} - y^l|| / max(||y^l||, ||x||) is"
                    + " at most this (default: ${DEFAULT-VALUE}).")
    double tol;

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "Optimality: the cap on iterations (default: ${DEFAULT-VALUE}).")
    int maxIterations;

    /** @param maxIterations the command's default cap */
    OptimalityOptions(int maxIterations) {
        this.maxIterations = maxIterations;
    }

    void check() throws PdqException {
        if (!(tol > 0) || maxIterations < 1) {
            throw PdqException.usage("--tol must be positive and --max-iterations at least 1");
        }
    }

    /** The note of a result row: how many batches stopped at the cap, or "" when none did. */
    String cappedNote(int capped, int batches) {
        return capped > 0 ? capped + " of " + batches + " batches stopped at the cap " + maxIterations : "";
    }
}
