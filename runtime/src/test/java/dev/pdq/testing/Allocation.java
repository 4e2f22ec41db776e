package dev.pdq.testing;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread (HotSpot), to show that a refused header allocated nothing large. */
public final class Allocation {

    private Allocation() {
    }

    /** Bytes this thread allocated so far, or 0 where the JVM cannot tell. */
    public static long bytes() {
        var bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean hs && hs.isThreadAllocatedMemorySupported()) {
            return hs.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }
}
