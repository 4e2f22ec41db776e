package dev.pdq.cli;

import dev.pdq.quant.Scheme;

/** --scheme by its command-line name (uniform, bfp, ima-adpcm). */
final class SchemeConverter extends EnumConverter<Scheme> {
    SchemeConverter() {
        super(Scheme.values(), Scheme::cliName, false);
    }
}
