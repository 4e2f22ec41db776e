package dev.pdq.engine;

/**
 * The engine asked for cannot be set up: an unreadable or invalid device profile or model file, a native BLAS that
 * does not load. The message says what and where.
 */
public final class EngineException extends Exception {
    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
