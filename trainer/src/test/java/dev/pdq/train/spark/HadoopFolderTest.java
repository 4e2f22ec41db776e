package dev.pdq.train.spark;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run folder on Hadoop's local file system: temporary file, then rename; nothing half written, nothing left. */
class HadoopFolderTest {
    @TempDir
    Path dir;

    private List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesReplacesAndReadsBackAtomically() throws IOException {
        Path run = dir.resolve("run");
        HadoopFolder f = new HadoopFolder(run.toUri().toString(), new Configuration());
        assertFalse(f.exists("a.bin"));
        f.write("a.bin", out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        f.write("a.bin", out -> out.write("second, longer".getBytes(StandardCharsets.UTF_8)));
        assertTrue(f.exists("a.bin"));
        assertArrayEquals("second, longer".getBytes(StandardCharsets.UTF_8), f.read("a.bin"));
        assertEquals(List.of("a.bin"), listing(run), "no temporary and no .crc file left");
        assertTrue(f.where("a.bin").startsWith("file:/") && f.where("a.bin").endsWith("/run/a.bin"), f.where("a.bin"));

        // a writer that fails halfway: the old content stays, the temporary file goes
        assertThrows(UncheckedIOException.class, () -> f.write("a.bin", out -> {
            out.write("third".getBytes(StandardCharsets.UTF_8));
            throw new UncheckedIOException(new IOException("disk full"));
        }));
        assertArrayEquals("second, longer".getBytes(StandardCharsets.UTF_8), f.read("a.bin"));
        assertEquals(List.of("a.bin"), listing(run));
        IOException e = assertThrows(IOException.class, () -> f.read("missing.bin"));
        assertTrue(e.getMessage().contains("missing.bin"), e.getMessage());
    }
}
