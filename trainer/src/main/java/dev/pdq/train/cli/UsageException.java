package dev.pdq.train.cli;

/** A command line that parses but makes no sense (conflicting or missing options): exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
