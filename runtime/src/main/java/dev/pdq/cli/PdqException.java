package dev.pdq.cli;

/** A failure the command reports in one line and turns into an exit code. */
public final class PdqException extends Exception {
    private final int exitCode;

    public PdqException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public PdqException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static PdqException usage(String message) {
        return new PdqException(ExitCodes.USAGE, message);
    }

    public static PdqException failure(String message) {
        return new PdqException(ExitCodes.FAILURE, message);
    }
}
