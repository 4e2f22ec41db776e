package dev.pdq.train.run;

/**
 * A run refused before it trained: its folder holds a run and resuming was not asked for (or the other way round),
 * a resume with other settings than the run was started with, data that cannot be split as asked. The request
 * was wrong, not the data: the command line reports it as a usage error.
 */
public final class RunRefusedException extends RuntimeException {
    public RunRefusedException(String message) {
        super(message);
    }
}
