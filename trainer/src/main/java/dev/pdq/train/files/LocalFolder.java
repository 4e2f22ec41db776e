package dev.pdq.train.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A run folder on the local file system, written through {@link AtomicFiles}. */
public record LocalFolder(Path dir) implements RunFolder {

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    @Override
    public void write(String name, AtomicFiles.Content content) throws IOException {
        AtomicFiles.write(resolve(name), content);
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(resolve(name));
    }

    @Override
    public byte[] read(String name) throws IOException {
        return Files.readAllBytes(resolve(name));
    }

    @Override
    public String where(String name) {
        return resolve(name).toString();
    }
}
