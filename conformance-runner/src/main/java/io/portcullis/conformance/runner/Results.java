package io.portcullis.conformance.runner;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts and prints outcomes: one line per check, reject or failed action as it happens, and the
 * summary at the end. Everything that is not a pass is a failure: nothing is ever skipped.
 */
public final class Results {

    /** Passed and failed counts of one case. */
    public record Count(int passed, int failed) {}

    private final PrintStream out;
    private final Map<String, int[]> perCase = new LinkedHashMap<>();

    public Results(PrintStream out) {
        this.out = out;
    }

    /** Makes the case appear in the summary even if nothing of it runs. */
    public void begin(String caseName) {
        begin0(caseName);
    }

    public void pass(String caseName, String what) {
        begin0(caseName)[0]++;
        out.println(passLine(caseName, what));
    }

    public void fail(String caseName, String what, String why) {
        begin0(caseName)[1]++;
        out.println(failLine(caseName, what, why));
    }

    private int[] begin0(String caseName) {
        return perCase.computeIfAbsent(caseName, k -> new int[2]);
    }

    static String passLine(String caseName, String what) {
        return "PASS " + caseName + " | " + what;
    }

    static String failLine(String caseName, String what, String why) {
        return "FAIL " + caseName + " | " + what + " | " + oneLine(why);
    }

    public Count count(String caseName) {
        int[] c = perCase.getOrDefault(caseName, new int[2]);
        return new Count(c[0], c[1]);
    }

    public Count total() {
        int p = 0;
        int f = 0;
        for (int[] c : perCase.values()) {
            p += c[0];
            f += c[1];
        }
        return new Count(p, f);
    }

    public boolean allPassed() {
        return total().failed() == 0;
    }

    /** Per case {@code name: N passed, M failed}, then {@code conformance: N passed, M failed}. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        perCase.forEach((name, c) -> lines.add(name + ": " + c[0] + " passed, " + c[1] + " failed"));
        Count t = total();
        lines.add("conformance: " + t.passed() + " passed, " + t.failed() + " failed");
        return lines;
    }

    public void printSummary() {
        out.println();
        summary().forEach(out::println);
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s*\\R\\s*", " ").trim();
        return one.length() > 600 ? one.substring(0, 600) + "..." : one;
    }
}
