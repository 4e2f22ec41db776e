package dev.pdq.blas;

import java.util.Locale;

/** Which backend {@link Blases#select} returns. */
public enum BlasChoice {
    /** Native if it loads, otherwise pure Java with one warning saying why. */
    AUTO,
    /** Native or a {@link BlasUnavailableException}. */
    NATIVE,
    /** Pure Java. */
    JAVA;

    /** Parses "auto", "native" or "java" (any case), as given on a command line or in a profile. */
    public static BlasChoice parse(String text) {
        if (text != null) {
            for (BlasChoice c : values()) {
                if (c.name().equalsIgnoreCase(text.trim())) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("BLAS choice '" + text + "' is none of auto, native, java");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
