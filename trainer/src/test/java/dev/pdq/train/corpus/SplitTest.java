package dev.pdq.train.corpus;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitTest {

    private static List<Path> files(int count) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Path.of("/data/f" + String.format("%03d", i) + ".wav"));
        }
        return out;
    }

    @Test
    void sameFilesAndSeedGiveTheSameSplitWhateverTheListingOrder() {
        List<Path> a = files(100);
        List<Path> b = new ArrayList<>(a);
        Collections.shuffle(b, new Random(7));
        Split<Path> s1 = Split.byFile(a, 0.1, 0.2, 42);
        Split<Path> s2 = Split.byFile(b, 0.1, 0.2, 42);
        assertEquals(s1, s2);
        assertEquals(10, s1.valid().size());
        assertEquals(20, s1.test().size());
        assertEquals(70, s1.train().size());
        Set<Path> all = new HashSet<>(s1.train());
        all.addAll(s1.valid());
        all.addAll(s1.test());
        assertEquals(new HashSet<>(a), all, "every file in exactly one set");
        assertEquals(100, s1.train().size() + s1.valid().size() + s1.test().size());
    }

    @Test
    void anotherSeedGivesAnotherSplit() {
        assertNotEquals(Split.byFile(files(100), 0.1, 0.1, 1).valid(), Split.byFile(files(100), 0.1, 0.1, 2).valid());
    }

    @Test
    void badFractionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Split.byFile(files(10), 0, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.byFile(files(10), 0.5, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.byFile(files(2), 0.4, 0.4, 1),
                "two files cannot give a validation, a test and a training file");
        Split<Path> tiny = Split.byFile(files(3), 0.01, 0.01, 1);
        assertTrue(tiny.valid().size() == 1 && tiny.test().size() == 1 && tiny.train().size() == 1);
    }
}
