package dev.pdq.train.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The backward pass of train, experiment and bench: b of truncated backpropagation and the primal mask. */
public final class BackpropOptions {
    @Option(names = {"-b", "--backprop-steps"}, paramLabel = "b", defaultValue = "30",
            description = "Backward steps of truncated backpropagation (default: ${DEFAULT-VALUE}); experiment and"
                    + " bench use min(b, L).")
    int steps;

    @Option(names = "--alpha", paramLabel = "A|r", defaultValue = "1", converter = Alpha.class,
            description = "Primal mask threshold: a number, or r for the exact Jacobian (default: ${DEFAULT-VALUE},"
                    + " as the paper trains).")
    float alpha; // NaN for r, as TrainConfig takes it

    /** A number, or r (any case) as NaN. */
    static final class Alpha implements CommandLine.ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            if (value.trim().equalsIgnoreCase("r")) {
                return Float.NaN;
            }
            try {
                return Float.parseFloat(value.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is neither a number nor r");
            }
        }
    }
}
