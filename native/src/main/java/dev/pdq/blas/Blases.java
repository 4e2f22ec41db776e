package dev.pdq.blas;

import org.tinylog.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that picks a Blas backend. Logs once per configuration, to stderr through tinylog, which backend
 * and library it chose, and warns when native was wanted but could not be loaded.
 *
 * <p>The instance chosen is memoized per (choice, options): every caller with the same configuration shares it
 * (Blas instances are safe to share between threads). Failures are not memoized.
 */
public final class Blases {

    private record Key(BlasChoice choice, BlasOptions options) {
        // written out: a record's generated equals and hashCode bootstrap method handles on first use
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && choice == other.choice && options.equals(other.options);
        }

        @Override
        public int hashCode() {
            return choice.hashCode() * 31 + options.hashCode();
        }
    }

    private static final Map<Key, Blas> CHOSEN = new HashMap<>();

    private Blases() {
    }

    /** {@link #select(BlasChoice, BlasOptions)} with {@link BlasOptions#DEFAULT}. */
    public static Blas select(BlasChoice choice) {
        return select(choice, BlasOptions.DEFAULT);
    }

    /**
     * The backend for {@code choice}: NATIVE loads OpenBLAS or throws; JAVA is the pure-Java backend; AUTO is
     * native if it loads, else Java after one warning that says why.
     *
     * @throws BlasUnavailableException for NATIVE when no native library loads, naming every place tried
     */
    public static synchronized Blas select(BlasChoice choice, BlasOptions options) {
        Objects.requireNonNull(choice, "BLAS choice is null");
        Objects.requireNonNull(options, "BLAS options are null");
        Key key = new Key(choice, options);
        Blas blas = CHOSEN.get(key);
        if (blas == null) {
            blas = create(choice, options);
            CHOSEN.put(key, blas);
        }
        return blas;
    }

    private static Blas create(BlasChoice choice, BlasOptions options) {
        switch (choice) {
            case JAVA: {
                Blas java = new JavaBlas(options.threads());
                Logger.info("BLAS: java backend ({}), as requested", java.description());
                return java;
            }
            case NATIVE: {
                Blas nat = OpenBlas.load(options);
                Logger.info("BLAS: native backend, {}", nat.description());
                return nat;
            }
            case AUTO:
            default: {
                try {
                    Blas nat = OpenBlas.load(options);
                    Logger.info("BLAS: native backend, {}", nat.description());
                    return nat;
                } catch (BlasUnavailableException e) {
                    Blas java = new JavaBlas(options.threads());
                    Logger.warn("BLAS: native BLAS unavailable, falling back to the much slower java backend ({}):"
                            + " {}. Install OpenBLAS (apt-get install libopenblas0-pthread) or set the library"
                            + " path.", java.description(), e.getMessage());
                    return java;
                }
            }
        }
    }
}
