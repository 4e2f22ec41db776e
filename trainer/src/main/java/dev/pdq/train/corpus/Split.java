package dev.pdq.train.corpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Files split into training, validation and test sets, by file (all frames of a file stay in one set).
 *
 * @param <F> what names a file: a {@link Path}, or a String (a URI on a Hadoop file system)
 */
public record Split<F>(List<F> train, List<F> valid, List<F> test) {

    public Split {
        train = List.copyOf(train);
        valid = List.copyOf(valid);
        test = List.copyOf(test);
    }

    /**
     * A seeded random split, on anything whose toString names the file: the files are sorted by name, shuffled
     * (Fisher-Yates driven by a generator seeded from {@code seed}), and the first round(validFraction * N) go to
     * validation, the next round(testFraction * N) to test, the rest to training; each set is then sorted by name.
     * The same files and seed give the same split, whatever order the files were listed in.
     *
     * @throws IllegalArgumentException if the fractions are out of range or leave a needed set empty
     */
    public static <F> Split<F> byFile(List<F> files, double validFraction, double testFraction, long seed) {
        if (!(validFraction > 0) || !(testFraction >= 0) || !(validFraction + testFraction < 1)) {
            throw new IllegalArgumentException("split fractions: validation " + validFraction + " must be > 0, test "
                    + testFraction + " >= 0, and together below 1");
        }
        Comparator<F> byName = Comparator.comparing(Object::toString);
        List<F> sorted = new ArrayList<>(files);
        sorted.sort(byName);
        SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, Seeds.SPLIT));
        for (int i = sorted.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            F t = sorted.get(i);
            sorted.set(i, sorted.get(j));
            sorted.set(j, t);
        }
        int n = sorted.size();
        int nValid = Math.max(1, (int) Math.round(validFraction * n));
        int nTest = testFraction > 0 ? Math.max(1, (int) Math.round(testFraction * n)) : 0;
        if (nValid + nTest >= n) {
            throw new IllegalArgumentException("cannot split " + n + " file(s) into " + nValid + " for validation, "
                    + nTest + " for test and at least one for training");
        }
        List<F> valid = new ArrayList<>(sorted.subList(0, nValid));
        List<F> test = new ArrayList<>(sorted.subList(nValid, nValid + nTest));
        List<F> train = new ArrayList<>(sorted.subList(nValid + nTest, n));
        train.sort(byName);
        valid.sort(byName);
        test.sort(byName);
        return new Split<>(train, valid, test);
    }
}
