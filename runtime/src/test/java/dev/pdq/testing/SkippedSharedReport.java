package dev.pdq.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Says loudly, at the end of a test run, how many tests were skipped because ../shared (the golden vectors, the
 * corpus) was not found: a build that passes without them has not checked the numbers against the independent
 * reference. Registered for every test JVM of runtime and trainer (META-INF/services); prints nothing when none was.
 */
public final class SkippedSharedReport implements TestExecutionListener {
    private final List<String> skipped = new ArrayList<>();
    private final TreeSet<String> reasons = new TreeSet<>();

    /** Whether a skip reason is the absence of ../shared (the messages of GoldenVectors and the corpus helpers). */
    static boolean aboutShared(String reason) {
        return reason != null && (reason.contains("pdq.shared") || reason.contains("no shared folder")
                || reason.contains("no golden vectors") || reason.contains("../shared"));
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (aboutShared(reason)) {
            skipped.add(test.getDisplayName());
            reasons.add(reason);
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        // an assumption that fails inside a test is an abort with the reason as the throwable's message
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(Throwable::getMessage).orElse(null);
            if (aboutShared(reason) && test.isTest()) {
                skipped.add(test.getDisplayName());
                reasons.add(reason);
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (skipped.isEmpty()) {
            return;
        }
        String line = "*".repeat(100);
        StringBuilder sb = new StringBuilder("\n").append(line).append('\n');
        sb.append("*** WARNING: ").append(skipped.size()).append(" tests SKIPPED because ../shared was not found:"
                + " the golden vectors and the corpus were NOT checked in this run.\n");
        for (String r : reasons) {
            sb.append("***   ").append(r).append('\n');
        }
        sb.append(line).append('\n');
        System.out.print(sb); // Maven prints the forked JVM's stdout into the build log
    }
}
