package dev.pdq.train.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The folder a training run writes its files to and resumes from: a local folder ({@link LocalFolder}) or, for the
 * Spark engine, a folder on any Hadoop file system. Every write is atomic: a reader sees the old file or the whole
 * new one, never a part.
 */
public interface RunFolder {

    /** Writes (or replaces) the file {@code name} atomically. */
    void write(String name, AtomicFiles.Content content) throws IOException;

    /** Whether the file {@code name} exists. */
    boolean exists(String name) throws IOException;

    /** The whole content of the file {@code name}. */
    byte[] read(String name) throws IOException;

    /** Where the file {@code name} is, for messages. */
    String where(String name);

    /** A local folder. */
    static LocalFolder local(Path dir) {
        return new LocalFolder(dir);
    }
}
