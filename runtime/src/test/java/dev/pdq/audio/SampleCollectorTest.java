package dev.pdq.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SampleCollectorTest {
    @Test
    void keepsValuesInOrderAndRefusesSplitFramesAndOverflow() {
        SampleCollector c = new SampleCollector(2, 6);
        c.write(new float[] {9, 1, 2, 3, 4}, 1, 4);
        assertEquals(2, c.framesWritten());
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.values());
        assertThrows(IllegalArgumentException.class, () -> c.write(new float[3], 0, 3), "half a frame");
        assertThrows(IllegalStateException.class, () -> c.write(new float[4], 0, 4), "past the capacity");
        c.write(new float[] {5, 6}, 0, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.values());
        assertThrows(IndexOutOfBoundsException.class, () -> c.value(6));
        c.reset(2);
        assertEquals(0, c.count());
    }
}
