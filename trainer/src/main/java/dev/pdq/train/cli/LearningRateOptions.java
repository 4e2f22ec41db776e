package dev.pdq.train.cli;

import picocli.CommandLine.Option;

/** The learning rate, falling linearly per step from --lr-start to --lr-end. */
public final class LearningRateOptions {
    @Option(names = "--lr-start", paramLabel = "RATE",
            description = "Learning rate of the first step (default: ${DEFAULT-VALUE}).")
    double start;

    @Option(names = "--lr-end", paramLabel = "RATE",
            description = "Learning rate of the last step (default: ${DEFAULT-VALUE}).")
    double end;

    /** The command's defaults. */
    LearningRateOptions(double start, double end) {
        this.start = start;
        this.end = end;
    }
}
