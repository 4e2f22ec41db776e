package dev.pdq.operator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ||K|| of the built-in models, computed by the build, so that loading one does not repeat the Lanczos process
 * (20 to 35 ms of a 300 to 400 ms start on the development machine: docs/PERFORMANCE.md, "Start-up").
 *
 * <p>The build runs {@link #main} over the models it packs (runtime/pom.xml, phase process-classes), which reads
 * each with {@link ModelFile} exactly as a file given with {@code --model} is read, ||K|| computed, and writes
 * {@value #TABLE}: one line a model, {@code name crc32 norm}. A built-in model whose checksum is not the one in the
 * table (a model replaced after the build, or no table: classes run from an IDE) has its norm computed as any other;
 * the table only ever stands for the computation on the very same bytes.
 */
public final class BuiltinNorms {
    /** The table's resource, beside the models. */
    public static final String TABLE = "/dev/pdq/models/norms.tsv";

    private static Map<String, ModelFile.KnownNorm> table;

    private BuiltinNorms() {
    }

    /** The norm the build computed for the built-in model {@code resource} (a path or a name), or null. */
    public static ModelFile.KnownNorm of(String resource) {
        return table().get(resource.substring(resource.lastIndexOf('/') + 1));
    }

    private static synchronized Map<String, ModelFile.KnownNorm> table() {
        if (table == null) {
            table = read(BuiltinNorms.class.getResourceAsStream(TABLE));
        }
        return table;
    }

    /** The table's entries by model name; empty for no table. */
    static Map<String, ModelFile.KnownNorm> read(InputStream in) {
        Map<String, ModelFile.KnownNorm> map = new HashMap<>();
        if (in == null) {
            return map;
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split("\t");
                if (f.length == 3) {
                    map.put(f[0], new ModelFile.KnownNorm(Long.parseLong(f[1], 16), Double.parseDouble(f[2])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return map;
    }

    /** The table's lines for every .pdqk file in {@code dir}, in name order: each read and checked, ||K|| computed. */
    static List<String> lines(Path dir) throws IOException, ModelFormatException {
        List<Path> models = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + ModelFile.EXTENSION)) {
            files.forEach(models::add);
        }
        models.sort(null);
        List<String> lines = new ArrayList<>();
        for (Path model : models) {
            Operator op = ModelFile.read(model);
            byte[] bytes = Files.readAllBytes(model);
            long crc = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()
                    & 0xFFFFFFFFL;
            lines.add(model.getFileName() + "\t" + Long.toHexString(crc) + "\t" + op.spectralNorm());
        }
        return lines;
    }

    /**
     * The build's step: {@code BuiltinNorms DIR} writes DIR/norms.tsv for the models in DIR (through a temporary
     * file and a rename). A model that does not read fails the build.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path out = dir.resolve(TABLE.substring(TABLE.lastIndexOf('/') + 1));
        Path tmp = dir.resolve(out.getFileName() + ".tmp");
        Files.write(tmp, lines(dir), StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
