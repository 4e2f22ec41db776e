package dev.pdq.train.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LinearScheduleTest {

    @Test
    void endpointsAreExactAndTheMiddleIsLinear() {
        LinearSchedule s = new LinearSchedule(1e-5, 1e-8, 1001);
        assertEquals(1e-5, s.rate(0), 0.0);
        assertEquals(1e-8, s.rate(1000), 0.0);
        assertEquals((1e-5 + 1e-8) / 2, s.rate(500), 1e-20);
        assertEquals(1e-5 + (1e-8 - 1e-5) * 0.25, s.rate(250), 1e-20);
    }

    @Test
    void oneStepUsesTheStartRate() {
        assertEquals(3e-4, new LinearSchedule(3e-4, 1e-6, 1).rate(0), 0.0);
    }

    @Test
    void stepsOutsideTheScheduleAndBadRatesAreRefused() {
        LinearSchedule s = new LinearSchedule(1e-4, 1e-6, 10);
        assertThrows(IllegalArgumentException.class, () -> s.rate(10));
        assertThrows(IllegalArgumentException.class, () -> s.rate(-1));
        assertThrows(IllegalArgumentException.class, () -> new LinearSchedule(0, 1e-6, 10));
        assertThrows(IllegalArgumentException.class, () -> new LinearSchedule(1e-4, 1e-6, 0));
    }
}
