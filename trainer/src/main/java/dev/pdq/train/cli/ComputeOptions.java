package dev.pdq.train.cli;

import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.Blases;
import dev.pdq.cli.BackendOptions;
import dev.pdq.cli.EnumConverter;
import dev.pdq.cli.PdqException;
import dev.pdq.train.loop.Progress;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How a command computes (not what): worker threads, BLAS backend, progress display. Shared by subcommands. */
public final class ComputeOptions {
    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: the available processors, ${DEFAULT-VALUE} here). Each worker"
                    + " has its own solver; a native BLAS then runs one thread per call.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    BackendOptions blas = new BackendOptions();

    @Option(names = "--progress", paramLabel = "auto|bar|log|none", defaultValue = "auto",
            converter = ProgressNames.class,
            description = "Progress on stderr (default: ${DEFAULT-VALUE}: a bar on an interactive console, else a"
                    + " log line every 30 s).")
    Progress.Mode progress;

    int threads() throws PdqException {
        if (threads < 1) {
            throw PdqException.usage("--threads " + threads + " must be at least 1");
        }
        return threads;
    }

    /** The backend choice as given (for a cluster's executors, which select their own). */
    BlasChoice choice() {
        return blas.backend();
    }

    /** The OpenBLAS library given, or null. */
    String library() {
        return blas.blasLibrary();
    }

    /** The backend: with more than one worker a native BLAS gets one thread per call (process-wide). */
    Blas blas() throws PdqException {
        BlasOptions options = BlasOptions.DEFAULT.withThreads(threads() > 1 ? 1 : 0);
        if (library() != null) {
            options = options.withLibraryPath(library());
        }
        return Blases.select(choice(), options);
    }

    Progress progress() {
        return Progress.create(progress);
    }

    /** auto, bar, log, none in any case. */
    static final class ProgressNames extends EnumConverter<Progress.Mode> {
        ProgressNames() {
            super(Progress.Mode.values());
        }
    }
}
