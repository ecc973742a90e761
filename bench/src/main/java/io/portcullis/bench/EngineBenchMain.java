package io.portcullis.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the engine benchmarks (any JMH command-line option works, e.g. {@code -f 1 -wi 2 -i 3}), then
 * prints a summary: each figure next to its target and the ratio figure/target, and for the
 * incremental benchmarks how much faster they are than a full recompute of the same change.
 * {@code --report-only} prints only the workload report.
 */
public final class EngineBenchMain {

    /** Benchmark method → label, target in ms, and the full-recompute reference method (or null). */
    private record Spec(String label, double targetMs, String reference) {}

    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        SPECS.put("fullResolution", new Spec("full resolution: load 1,000 policies + 2,000 identities, resolve all", 2000, null));
        SPECS.put("addIdentity", new Spec("incremental: add one identity, re-resolve affected", 5, "addIdentityFullRecompute"));
        SPECS.put("changePolicy", new Spec("incremental: replace one policy, re-resolve affected", 5, "changePolicyFullRecompute"));
    }

    public static void main(String[] args) throws Exception {
        System.out.println("== workload (one unmeasured pass in this JVM)");
        WorkloadReport.print(Workload.generate(), System.out);
        if (args.length == 1 && args[0].equals("--report-only")) {
            return;
        }
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            b.include(EngineBenchMain.class.getPackageName() + "\\..*Bench\\..*");
        }
        Options opts = b.build();
        double loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(opts).run();
        double loadAfter = loadAverage();

        Map<String, Result<?>> byMethod = new LinkedHashMap<>();
        for (RunResult rr : results) {
            String bench = rr.getParams().getBenchmark();
            byMethod.put(bench.substring(bench.lastIndexOf('.') + 1), rr.getPrimaryResult());
        }
        System.out.println();
        System.out.println("== summary (JMH: " + describe(opts) + "; -Xmx2g)");
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("machine: %d cores, load average %.1f before and %.1f after the run%s%n", cores, loadBefore, loadAfter,
                Math.max(loadBefore, loadAfter) > cores ? " -- busy with other work: wall-clock figures are inflated" : "");
        System.out.printf("%-70s %14s %10s %8s  %s%n", "benchmark", "figure", "target", "ratio", "");
        for (Map.Entry<String, Spec> e : SPECS.entrySet()) {
            Result<?> r = byMethod.get(e.getKey());
            Spec s = e.getValue();
            if (r == null) {
                continue;
            }
            double ms = toMs(r);
            double err = toMs(r.getScoreError(), r.getScoreUnit());
            System.out.printf("%-70s %14s %7.0f ms %8.3f  %s%n", s.label(), fmt(ms, err), s.targetMs(), ms / s.targetMs(),
                    ms <= s.targetMs() ? "MEETS TARGET" : "MISSES TARGET");
            Result<?> ref = s.reference() == null ? null : byMethod.get(s.reference());
            if (ref != null) {
                double refMs = toMs(ref);
                System.out.printf("%-70s %14s%n", "    reference: same change, then full recompute of every endpoint",
                        fmt(refMs, toMs(ref.getScoreError(), ref.getScoreUnit())));
                System.out.printf("    incremental vs full recompute: %.1f times faster%n", refMs / ms);
            }
        }
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String describe(Options o) {
        return "forks " + o.getForkCount().orElse(1) + ", warmup iterations " + o.getWarmupIterations().orElse(-1)
                + ", measurement iterations " + o.getMeasurementIterations().orElse(-1)
                + "; -1 = the benchmark's own annotation";
    }

    private static String fmt(double ms, double err) {
        String e = Double.isNaN(err) ? "" : String.format(" ±%s", num(err));
        return num(ms) + e + " ms";
    }

    private static String num(double ms) {
        return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.3f", ms);
    }

    private static double toMs(Result<?> r) {
        return toMs(r.getScore(), r.getScoreUnit());
    }

    /** JMH units look like {@code ms/op}, {@code us/op}, {@code s/op}. */
    private static double toMs(double v, String unit) {
        String u = unit.substring(0, unit.indexOf('/'));
        TimeUnit tu = switch (u) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
        return v * tu.toNanos(1) / 1e6;
    }
}
