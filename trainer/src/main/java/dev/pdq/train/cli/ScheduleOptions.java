package dev.pdq.train.cli;

import dev.pdq.train.loop.TrainConfig;
import picocli.CommandLine.Option;

/**
 * How long and in what steps train and experiment train: epochs, batch, the cap on an epoch's steps, the seed, and
 * the learning rate falling linearly per step from --lr-start to --lr-end. The defaults are the command's.
 */
public final class ScheduleOptions {
    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Frames per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps-per-epoch",
            description = "Cap on the steps of an epoch, 0 for all (default: ${DEFAULT-VALUE}).")
    int stepsPerEpoch;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of the shuffles and gains (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lr-start", paramLabel = "RATE",
            description = "Learning rate of the first step (default: ${DEFAULT-VALUE}).")
    double lrStart;

    @Option(names = "--lr-end", paramLabel = "RATE",
            description = "Learning rate of the last step (default: ${DEFAULT-VALUE}).")
    double lrEnd;

    /** The command's defaults. */
    ScheduleOptions(int epochs, int stepsPerEpoch, double lrStart, double lrEnd) {
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.lrStart = lrStart;
        this.lrEnd = lrEnd;
    }

    /** {@code config} with these settings. */
    TrainConfig.Builder applyTo(TrainConfig.Builder config) {
        return config.epochs(epochs).batch(batch).stepsPerEpoch(stepsPerEpoch).seed(seed).learningRate(lrStart, lrEnd);
    }
}
