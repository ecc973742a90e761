package io.portcullis.bench;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.identity.Identity;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the workload is, measured once outside JMH: counts, map sizes, and how many subjects each
 * incremental change invalidates (the figures that explain the incremental benchmarks).
 * {@code --dump DIR} also writes the policies as YAML.
 */
public final class WorkloadReport {

    public static void main(String[] args) throws Exception {
        Workload w = Workload.generate();
        if (args.length == 2 && args[0].equals("--dump")) {
            Files.createDirectories(Path.of(args[1]));
            Files.writeString(Path.of(args[1], "policies.yaml"), w.policiesYaml());
        }
        if (args.length == 1 && args[0].equals("--verify")) {
            verify(w, System.out);
            return;
        }
        print(w, System.out);
    }

    /**
     * Checks the incremental engine against recomputation on this workload: after each of a few
     * identity additions and policy edits, every endpoint's cached policy must equal one resolved
     * from scratch. Slow (a full recompute per change); not part of the benchmark run.
     */
    static void verify(Workload w, PrintStream out) {
        Cluster c = Cluster.load(w);
        c.resolveAll(p -> {});
        int checked = 0;
        List<Identity> ids = w.newIdentities(6);
        int[] sample = w.policySample(6);
        for (int i = 0; i < 6; i++) {
            c.resolveAffected(c.addIdentity(ids.get(i)), p -> {});
            checked += compare(c, "after adding identity " + ids.get(i).id());
            c.resolveAffected(c.upsertPolicy(w.modifiedPolicy(sample[i])), p -> {});
            checked += compare(c, "after editing policy " + w.policies().get(sample[i]).key());
        }
        c.resolveAffected(c.removeIdentity(ids.get(0).id()), p -> {});
        checked += compare(c, "after removing identity " + ids.get(0).id());
        out.printf("verify: %d endpoint policies after 13 incremental changes, all equal to resolution from scratch%n", checked);
    }

    private static int compare(Cluster c, String when) {
        List<io.portcullis.policy.engine.EndpointPolicy> fresh = new ArrayList<>();
        c.recomputeAll(fresh::add);
        int i = 0;
        for (io.portcullis.policy.engine.Subject s : c.subjects().values()) {
            if (!c.engine().policyFor(s).equals(fresh.get(i++))) {
                throw new AssertionError("incremental policy of " + s.identity().id() + " differs " + when);
            }
        }
        return i;
    }

    public static void print(Workload w, PrintStream out) {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        Cluster c = null;
        long[] entries = {0, 0};
        long fullCpu = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) { // the last rounds are warm
            long t0 = tm.getCurrentThreadCpuTime();
            c = Cluster.load(w);
            entries[0] = 0;
            c.resolveAll(p -> {
                entries[0] += p.mapState().size();
                entries[1] = Math.max(entries[1], p.mapState().size());
            });
            fullCpu = Math.min(fullCpu, tm.getCurrentThreadCpuTime() - t0);
        }

        Map<String, Integer> kinds = new TreeMap<>();
        for (CiliumPolicy p : w.policies()) {
            String name = p.metadata().name();
            String arche = p.policyKind() == PolicyKind.CNP ? name.substring(name.lastIndexOf('-', name.lastIndexOf('-') - 1) + 1, name.lastIndexOf('-'))
                    : name.startsWith("cw-") ? "cw" : name.replaceAll("-.*", "");
            kinds.merge(p.policyKind() + " " + arche, 1, Integer::sum);
        }
        out.printf("workload: %d endpoint identities in %d namespaces, %d other identities (reserved, CIDR, FQDN), %d policies%n",
                w.endpointIdentities().size(), Workload.NAMESPACES.size(), w.otherIdentities().size(), w.policies().size());
        out.printf("  policies by kind/archetype: %s%n", kinds);
        out.printf("  selectors in cache: %d; map entries: %d total, %.0f mean, %d max per endpoint%n",
                c.engine().selectorCache().selectorCount(), entries[0], (double) entries[0] / c.subjects().size(), entries[1]);

        List<Integer> idSizes = new ArrayList<>();
        long idCpu = 0;
        List<Identity> newIds = w.newIdentities(IncrementalIdentityBench.CANDIDATES);
        for (int round = 0; round < 2; round++) {
            idSizes.clear();
            idCpu = 0;
            for (Identity id : newIds) {
                long t0 = tm.getCurrentThreadCpuTime();
                Set<Long> affected = c.addIdentity(id);
                idSizes.add(c.resolveAffected(affected, p -> {}));
                idCpu += tm.getCurrentThreadCpuTime() - t0;
                c.removeIdentity(id.id());
                c.resolveAll(p -> {});
            }
        }
        out.printf("  add identity: subjects re-resolved per change %s%n", stats(idSizes));

        List<Integer> polSizes = new ArrayList<>();
        long polCpu = 0;
        int[] sample = w.policySample(IncrementalPolicyBench.CANDIDATES);
        List<CiliumPolicy> edited = new ArrayList<>();
        for (int idx : sample) {
            edited.add(w.modifiedPolicy(idx));
        }
        for (int round = 0; round < 2; round++) {
            polSizes.clear();
            polCpu = 0;
            for (int i = 0; i < sample.length; i++) {
                long t0 = tm.getCurrentThreadCpuTime();
                Set<Long> affected = c.upsertPolicy(edited.get(i));
                polSizes.add(c.resolveAffected(affected, p -> {}));
                polCpu += tm.getCurrentThreadCpuTime() - t0;
                c.upsertPolicy(w.policies().get(sample[i]));
                c.resolveAll(p -> {});
            }
        }
        out.printf("  change policy: subjects re-resolved per change %s%n", stats(polSizes));
        out.printf("  CPU-time cross-check (this thread only, GC threads excluded; independent of other load on the machine):%n");
        out.printf("    full resolution %.0f ms, add identity %.2f ms, change policy %.2f ms (mean per operation, warm)%n",
                fullCpu / 1e6, idCpu / 1e6 / newIds.size(), polCpu / 1e6 / sample.length);
    }

    static String stats(List<Integer> sizes) {
        List<Integer> s = new ArrayList<>(sizes);
        Collections.sort(s);
        double mean = s.stream().mapToInt(Integer::intValue).average().orElse(0);
        return String.format("mean %.1f, median %d, p90 %d, max %d (over %d changes)",
                mean, s.get(s.size() / 2), s.get((int) (s.size() * 0.9)), s.get(s.size() - 1), s.size());
    }
}
