package dev.pdq.train.cli;

import dev.pdq.cli.PdqException;

import java.util.ArrayList;
import java.util.List;

/** Lists of counts given on the command line: iterations (-L 10,30,100; --curve 1,2,5), frame grids (--shifts 1,2,4). */
final class CountLists {
    private CountLists() {
    }

    /** {@code counts} if they increase strictly from at least 1, else a usage error naming the option. */
    static List<Integer> increasing(String option, List<Integer> counts) throws PdqException {
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) < 1 || (i > 0 && counts.get(i) <= counts.get(i - 1))) {
                throw PdqException.usage(option + " " + join(counts) + " is not an increasing list of positive"
                        + " counts");
            }
        }
        return counts;
    }

    /** {@code shifts} if each is at least 1 and divides the frame length n, else a usage error naming --shifts. */
    static void checkShifts(List<Integer> shifts, int n) throws PdqException {
        for (int s : shifts) {
            if (s < 1 || n % s != 0) {
                throw PdqException.usage("--shifts " + s + " must be at least 1 and divide n = " + n);
            }
        }
    }

    /** "1,2,5" as counts; a word that is no integer is a usage error naming the option. */
    static List<Integer> parse(String option, String text) throws PdqException {
        List<Integer> counts = new ArrayList<>();
        for (String p : text.split(",")) {
            try {
                counts.add(Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw PdqException.usage(option + " '" + text + "': '" + p + "' is not a count");
            }
        }
        return counts;
    }

    private static String join(List<Integer> counts) {
        StringBuilder sb = new StringBuilder();
        for (int c : counts) {
            sb.append(sb.length() == 0 ? "" : ",").append(c);
        }
        return sb.toString();
    }
}
