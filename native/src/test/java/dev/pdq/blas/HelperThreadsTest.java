package dev.pdq.blas;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HelperThreadsTest {

    @Test
    void everyPartRunsExactlyOnce() {
        for (int parts = 1; parts <= 4; parts++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            for (int call = 0; call < 200; call++) {
                HelperThreads.run(parts, runs::incrementAndGet);
            }
            for (int t = 0; t < parts; t++) {
                assertEquals(200, runs.get(t), "part " + t + " of " + parts);
            }
        }
    }

    @Test
    void aFailingHelperPartIsRethrownAfterTheOthersFinish() {
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HelperThreads.run(3, t -> {
            runs.incrementAndGet(t);
            if (t == 2) {
                throw new IllegalStateException("part 2 failed");
            }
        }));
        assertEquals("part 2 failed", e.getMessage());
        assertEquals(1, runs.get(0));
        assertEquals(1, runs.get(1));
        HelperThreads.run(3, runs::incrementAndGet); // the helpers survive a failure
        assertEquals(2, runs.get(2));
    }

    @Test
    void aFailingCallerPartIsRethrown() {
        assertThrows(ArithmeticException.class, () -> HelperThreads.run(2, t -> {
            if (t == 0) {
                throw new ArithmeticException("part 0 failed");
            }
        }));
    }
}
