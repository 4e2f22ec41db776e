package dev.pdq.train.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Starts the SparkContext of a run, with pdq's defaults for what the user's configuration leaves open. */
public final class SparkContexts {
    /** Used when neither --master nor spark-submit's spark.master says where to run. */
    public static final String DEFAULT_MASTER = "local[*]";
    /** The log4j2 configuration pdq-train.jar brings for Spark when none is given: warnings and errors only. */
    public static final String LOG_CONFIG = "pdq-spark-log4j2.properties";

    private SparkContexts() {
    }

    /**
     * Before anything of Spark logs: when no log4j2 configuration is given (running with {@code java -cp}, not
     * spark-submit), use pdq's (Spark's own default logs about a thousand INFO lines a run).
     */
    public static void quietLogging() {
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
    }

    /**
     * A context for {@code master} (null: spark-submit's, else {@link #DEFAULT_MASTER}). Settings already given
     * (spark-submit --conf, spark.* system properties) win over these defaults: the web UI off in local mode, Spark's
     * log level WARN, and, outside spark-submit, the jar holding this class shipped to the executors.
     */
    public static JavaSparkContext start(String master) {
        quietLogging();
        SparkConf conf = new SparkConf().setAppName("pdq-train");
        if (master != null) {
            conf.setMaster(master);
        } else {
            conf.setIfMissing("spark.master", DEFAULT_MASTER);
        }
        boolean localMode = conf.get("spark.master").startsWith("local");
        if (localMode) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        } else if (!conf.contains("spark.jars")) {
            String[] jars = JavaSparkContext.jarOfClass(SparkContexts.class);
            if (jars.length > 0) {
                conf.setJars(jars);
            }
        }
        conf.setIfMissing("spark.log.level", "WARN");
        return new JavaSparkContext(conf);
    }
}
