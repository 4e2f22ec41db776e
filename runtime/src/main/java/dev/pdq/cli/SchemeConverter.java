package dev.pdq.cli;

import dev.pdq.quant.Scheme;
import picocli.CommandLine;

/** --scheme by its command-line name (uniform, bfp, ima-adpcm). */
final class SchemeConverter implements CommandLine.ITypeConverter<Scheme> {
    @Override
    public Scheme convert(String value) {
        try {
            return Scheme.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
