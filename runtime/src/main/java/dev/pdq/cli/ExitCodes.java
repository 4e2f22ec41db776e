package dev.pdq.cli;

/** The pdq command's exit codes; integers appear only here. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad input data, a corrupt model, an I/O error: the message says what and where. */
    public static final int FAILURE = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** The reader of stdout went away (broken pipe): pdq stops quietly, as `yes | head` does (128 + SIGPIPE). */
    public static final int OUTPUT_CLOSED = 141;

    private ExitCodes() {
    }
}
