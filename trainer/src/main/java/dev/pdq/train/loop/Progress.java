package dev.pdq.train.loop;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.tinylog.Logger;

/**
 * Progress of a long task, always on stderr: a progress bar when the console is interactive, else a log line every
 * {@link LogProgress#INTERVAL_NANOS 30 s} (a bar's carriage returns would fill a log file), or nothing.
 */
public interface Progress extends AutoCloseable {

    /** Starts a task of {@code total} units. */
    void start(String task, long total);

    /** {@code done} units of the current task are done; {@code message} says how it goes (loss, speed). */
    void update(long done, String message);

    /** Ends the current task. */
    @Override
    void close();

    enum Mode {
        AUTO, BAR, LOG, NONE
    }

    /**
     * A reporter: AUTO gives a bar when the JVM has an interactive console (stdin and stdout are terminals; Java 17
     * cannot ask about stderr alone), else log lines.
     */
    static Progress create(Mode mode) {
        Mode m = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LOG) : mode;
        switch (m) {
            case BAR:
                return new BarProgress();
            case LOG:
                return new LogProgress();
            default:
                return new NoProgress();
        }
    }

    /** me.tongfei's progress bar, drawn on System.err. */
    final class BarProgress implements Progress {
        private ProgressBar bar;

        @Override
        public void start(String task, long total) {
            close();
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }

        @Override
        public void update(long done, String message) {
            if (bar != null) {
                bar.stepTo(done);
                bar.setExtraMessage(message);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    /** A tinylog line at most every 30 s (and at the end of a task). */
    final class LogProgress implements Progress {
        static final long INTERVAL_NANOS = 30_000_000_000L;
        private String task;
        private long total;
        private long last;
        private long done;
        private String message = "";

        @Override
        public void start(String task, long total) {
            this.task = task;
            this.total = total;
            this.last = System.nanoTime();
            this.done = 0;
        }

        @Override
        public void update(long done, String message) {
            this.done = done;
            this.message = message;
            long now = System.nanoTime();
            if (now - last >= INTERVAL_NANOS) {
                last = now;
                Logger.info("{}: {}/{} {}", task, done, total, message);
            }
        }

        @Override
        public void close() {
            if (task != null) {
                Logger.info("{}: {}/{} {}", task, done, total, message);
                task = null;
            }
        }
    }

    final class NoProgress implements Progress {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void update(long done, String message) {
        }

        @Override
        public void close() {
        }
    }
}
