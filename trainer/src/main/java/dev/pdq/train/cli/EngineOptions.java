package dev.pdq.train.cli;

import dev.pdq.cli.ExitCodes;
import dev.pdq.cli.PdqException;
import dev.pdq.blas.Blas;
import dev.pdq.blas.BlasChoice;
import dev.pdq.blas.BlasOptions;
import dev.pdq.blas.Blases;
import dev.pdq.train.loop.Progress;
import picocli.CommandLine.Option;

/** How a command computes (not what): worker threads, BLAS backend, progress display. Shared by subcommands. */
public final class EngineOptions {
    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: the available processors, ${DEFAULT-VALUE} here). Each worker"
                    + " has its own solver; a native BLAS then runs one thread per call.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--backend", paramLabel = "auto|native|java", defaultValue = "auto",
            description = "BLAS backend (default: ${DEFAULT-VALUE}): native is OpenBLAS, java the pure-Java one.")
    String backend;

    @Option(names = "--blas-library", paramLabel = "PATH",
            description = "OpenBLAS shared library to load (default: looked up).")
    String blasLibrary;

    @Option(names = "--progress", paramLabel = "auto|bar|log|none", defaultValue = "auto",
            description = "Progress on stderr (default: ${DEFAULT-VALUE}: a bar on an interactive console, else a"
                    + " log line every 30 s).")
    String progress;

    int threads() throws PdqException {
        if (threads < 1) {
            throw PdqException.usage("--threads " + threads + " must be at least 1");
        }
        return threads;
    }

    /** The backend choice as given (for a cluster's executors, which select their own). */
    BlasChoice choice() throws PdqException {
        try {
            return BlasChoice.parse(backend);
        } catch (IllegalArgumentException e) {
            throw PdqException.usage("--backend: " + e.getMessage());
        }
    }

    /** The OpenBLAS library given, or null. */
    String library() {
        return blasLibrary;
    }

    /** The backend: with more than one worker a native BLAS gets one thread per call (process-wide). */
    Blas blas() throws PdqException {
        BlasChoice choice;
        try {
            choice = BlasChoice.parse(backend);
        } catch (IllegalArgumentException e) {
            throw PdqException.usage("--backend: " + e.getMessage());
        }
        BlasOptions options = BlasOptions.DEFAULT.withThreads(threads() > 1 ? 1 : 0);
        if (blasLibrary != null) {
            options = options.withLibraryPath(blasLibrary);
        }
        return Blases.select(choice, options);
    }

    Progress progress() throws PdqException {
        try {
            return Progress.create(Progress.Mode.parse(progress));
        } catch (IllegalArgumentException e) {
            throw PdqException.usage("--progress '" + progress + "' is none of auto, bar, log, none");
        }
    }
}
