package dev.pdq.train.cli;

/** pdq-train's exit codes (as the pdq command's). */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad data, a diverged run, an I/O error: the message says what and where. */
    public static final int FAILURE = 1;
    /** Bad command line. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
