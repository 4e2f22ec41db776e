package dev.pdq.train.cli;

import dev.pdq.cli.EnumConverter;
import dev.pdq.cli.PdqException;
import picocli.CommandLine.Option;

/**
 * The engine that computes a step's gradient: this process, or a Spark cluster, and how to use the cluster.
 * No Spark class is touched here: Spark is a provided dependency and loads only with {@code --engine spark}.
 */
public final class SparkOptions {
    /** The engines. */
    public enum Engine { SINGLE, SPARK }

    @Option(names = "--engine", paramLabel = "single|spark", defaultValue = "single", converter = EngineNames.class,
            description = "single: this process, --threads workers (default); spark: data-parallel on a Spark"
                    + " cluster or local[N] (needs Spark's classes: run through spark-submit, see trainer/SPARK.md).")
    Engine engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --engine spark: the Spark master (local[N], spark://HOST:7077, yarn, ...); default"
                    + " spark-submit's, else local[*].")
    String master;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
            description = "With --engine spark: partitions of the training files (default 0: Spark's default"
                    + " parallelism, the executors' cores).")
    int partitions;

    @Option(names = "--executor-batch", paramLabel = "C", defaultValue = "0",
            description = "With --engine spark: frames per gradient call on an executor; a partition's share of a"
                    + " step is computed in chunks of C (default 0: min(--batch, 128)).")
    int executorBatch;

    @Option(names = "--tree-depth", paramLabel = "D", defaultValue = "2",
            description = "With --engine spark: depth of the treeAggregate of the partitions' gradients (default:"
                    + " ${DEFAULT-VALUE}).")
    int treeDepth;

    Engine engine() throws PdqException {
        if (engine == Engine.SINGLE && (master != null || partitions != 0 || executorBatch != 0 || treeDepth != 2)) {
            throw PdqException.usage("--master, --partitions, --executor-batch and --tree-depth are for --engine"
                    + " spark");
        }
        if (partitions < 0 || executorBatch < 0 || treeDepth < 1) {
            throw PdqException.usage("--partitions and --executor-batch must be >= 0 and --tree-depth >= 1");
        }
        if (engine == Engine.SPARK && !sparkPresent()) {
            throw PdqException.failure("--engine spark needs Apache Spark's classes, which pdq-train.jar"
                    + " leaves out (Spark is a provided dependency): run pdq-train through spark-submit, or with"
                    + " Spark's jars on the class path (trainer/SPARK.md says how)");
        }
        return engine;
    }

    private static boolean sparkPresent() {
        try {
            Class.forName("org.apache.spark.SparkContext", false, SparkOptions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** single, spark in any case. */
    static final class EngineNames extends EnumConverter<Engine> {
        EngineNames() {
            super(Engine.values());
        }
    }
}
