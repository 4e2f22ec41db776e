package dev.pdq.trace;

/**
 * Phase marks of a command's start-up, printed to stderr when the system property {@code pdq.trace.startup} is
 * set ({@code java -Dpdq.trace.startup -jar pdq.jar ...}); otherwise a mark costs one test of a constant.
 *
 * <p>A line reads {@code pdq: startup: 212.3 ms (+41.0), main thread cpu 150.2 ms (+38.5) model read}: wall-clock
 * milliseconds since the JVM started and since the previous mark, then the CPU time of the thread that marks (on a
 * machine shared with other jobs it moves far less than the wall clock). The JVM's start comes from its uptime,
 * read at the first mark; loading the management classes for that costs some milliseconds, which the first line
 * states and the later wall-clock figures leave out. Lines are built with a StringBuilder, not String.format or
 * string concatenation, whose first use loads classes of its own.
 */
public final class StartupTrace {
    private static final boolean ON = System.getProperty("pdq.trace.startup") != null;
    private static long origin; // System.nanoTime() of the JVM's start, plus the probe's own cost
    private static long last;
    private static long lastCpu;

    private StartupTrace() {
    }

    /** Prints one mark (when tracing): the time since the JVM started and since the previous mark. */
    public static void mark(String phase) {
        if (ON) {
            print(phase, System.nanoTime());
        }
    }

    private static synchronized void print(String phase, long now) {
        StringBuilder line = new StringBuilder("pdq: startup: ");
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        if (origin == 0) {
            long uptimeNanos = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
            long probe = System.nanoTime() - now;
            long start = now + probe - uptimeNanos;
            origin = start + probe;
            last = now + probe;
            millis(line, now - start).append(" ms, main thread cpu ");
            millis(line, cpu).append(" ms ").append(phase).append(" (JVM uptime, 1 ms resolution; reading it took ");
            millis(line, probe).append(" ms, left out below)");
        } else {
            millis(line, now - origin).append(" ms (+");
            millis(line, now - last).append("), main thread cpu ");
            millis(line, cpu).append(" ms (+");
            millis(line, cpu - lastCpu).append(") ").append(phase);
            last = now;
        }
        lastCpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        System.err.println(line);
    }

    private static StringBuilder millis(StringBuilder sb, long nanos) {
        long tenths = Math.round(nanos / 1e5);
        return sb.append(tenths / 10).append('.').append(Math.abs(tenths % 10));
    }
}
