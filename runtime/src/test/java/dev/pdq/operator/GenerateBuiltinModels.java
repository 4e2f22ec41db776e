package dev.pdq.operator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Writes the built-in model resources: {@code GenerateBuiltinModels runtime/src/main/resources/dev/pdq/models}
 * (runtime/MODEL_FORMAT.md gives the full command). BuiltinModelsTest checks the committed files against
 * {@link BuiltinModels#generate}.
 */
public final class GenerateBuiltinModels {
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args.length > 0 ? args[0] : "runtime/src/main/resources/dev/pdq/models");
        Files.createDirectories(dir);
        for (int bits : BuiltinModels.bitDepths()) {
            String name = BuiltinModels.resource(bits);
            Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
            ModelFile.write(BuiltinModels.generate(bits), target);
            System.err.println("wrote " + target + " (" + Files.size(target) + " bytes)");
        }
    }
}
