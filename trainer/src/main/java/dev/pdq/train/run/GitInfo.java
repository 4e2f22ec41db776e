package dev.pdq.train.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The commit of the working directory's git checkout, for provenance. */
final class GitInfo {
    private GitInfo() {
    }

    /** {@code git rev-parse --short HEAD} (with "+dirty" when the tree has changes), or "unknown". */
    static String commit() {
        String head = run("git", "rev-parse", "--short", "HEAD");
        if (head == null || head.isEmpty()) {
            return "unknown";
        }
        String status = run("git", "status", "--porcelain", "--untracked-files=no");
        return status != null && !status.isEmpty() ? head + "+dirty" : head;
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
