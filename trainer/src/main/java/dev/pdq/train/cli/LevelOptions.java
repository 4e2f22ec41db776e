package dev.pdq.train.cli;

import dev.pdq.cli.EnumConverter;
import dev.pdq.cli.PdqException;
import dev.pdq.train.corpus.Level;
import picocli.CommandLine.Option;

/** --level and the training gain range. */
public final class LevelOptions {
    @Option(names = "--level", paramLabel = "peak|fixed", defaultValue = "peak", converter = Names.class,
            description = "Level handling (default: ${DEFAULT-VALUE}). peak: every file (channel) peak-normalized to"
                    + " 1, as the paper. fixed: full scale fixed, files at their recorded level; training files at a"
                    + " random peak level in [--gain-low, --gain-high] dBFS per file and epoch.")
    Level.Mode level;

    @Option(names = "--gain-low", paramLabel = "DB", defaultValue = "-20",
            description = "Lowest training peak level for --level fixed, dBFS (default: ${DEFAULT-VALUE}).")
    double gainLow;

    @Option(names = "--gain-high", paramLabel = "DB", defaultValue = "0",
            description = "Highest training peak level for --level fixed, dBFS (default: ${DEFAULT-VALUE}).")
    double gainHigh;

    Level level() throws PdqException {
        try {
            return new Level(level, gainLow, gainHigh);
        } catch (IllegalArgumentException e) {
            throw PdqException.usage(e.getMessage());
        }
    }

    /** peak, fixed in any case. */
    static final class Names extends EnumConverter<Level.Mode> {
        Names() {
            super(Level.Mode.values());
        }
    }
}
