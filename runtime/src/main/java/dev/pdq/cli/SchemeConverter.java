package dev.pdq.cli;

import dev.pdq.quant.Scheme;

/** --scheme by its command-line name (uniform, bfp, ima-adpcm). */
public final class SchemeConverter extends EnumConverter<Scheme> {
    public SchemeConverter() {
        super(Scheme.values(), Scheme::cliName, false);
    }
}
