package dev.pdq.train.cli;

import dev.pdq.cli.EnumConverter;
import dev.pdq.train.loop.GradientMode;

/** --mode and --modes: full, truncated in any case. */
final class GradientModeNames extends EnumConverter<GradientMode> {
    GradientModeNames() {
        super(GradientMode.values());
    }
}
