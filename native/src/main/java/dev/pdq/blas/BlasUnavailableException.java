package dev.pdq.blas;

import java.util.List;

/** No native BLAS could be loaded; the message names every place tried and why each failed. */
public class BlasUnavailableException extends RuntimeException {

    private final List<String> attempts;

    public BlasUnavailableException(String message, List<String> attempts) {
        super(message + (attempts.isEmpty() ? "" : "; tried: " + String.join("; ", attempts)));
        this.attempts = List.copyOf(attempts);
    }

    public BlasUnavailableException(String message, List<String> attempts, Throwable cause) {
        this(message, attempts);
        initCause(cause);
    }

    /** One line per place tried: where, and why it failed. */
    public List<String> attempts() {
        return attempts;
    }
}
