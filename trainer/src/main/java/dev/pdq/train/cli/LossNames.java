package dev.pdq.train.cli;

import dev.pdq.cli.EnumConverter;
import dev.pdq.train.grad.LossSpec;

/** --loss: mse, weighted in any case. */
final class LossNames extends EnumConverter<LossSpec.Kind> {
    LossNames() {
        super(LossSpec.Kind.values());
    }
}
