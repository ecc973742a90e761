package io.portcullis.bench;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.identity.Identity;
import java.io.PrintStream;
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
        long t0 = System.nanoTime();
        Cluster c = Cluster.load(w);
        long t1 = System.nanoTime();
        long[] entries = {0, 0};
        c.resolveAll(p -> {
            entries[0] += p.mapState().size();
            entries[1] = Math.max(entries[1], p.mapState().size());
        });
        long t2 = System.nanoTime();

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
        out.printf("  one unmeasured pass: load %.0f ms, resolve all %.0f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);

        List<Integer> idSizes = new ArrayList<>();
        for (Identity id : w.newIdentities(IncrementalIdentityBench.CANDIDATES)) {
            Set<Long> affected = c.addIdentity(id);
            idSizes.add(c.resolveAffected(affected, p -> {}));
            c.resolveAffected(c.removeIdentity(id.id()), p -> {});
        }
        out.printf("  add identity: subjects re-resolved per change %s%n", stats(idSizes));

        List<Integer> polSizes = new ArrayList<>();
        for (int idx : w.policySample(IncrementalPolicyBench.CANDIDATES)) {
            CiliumPolicy original = w.policies().get(idx);
            Set<Long> affected = c.upsertPolicy(w.modifiedPolicy(idx));
            polSizes.add(c.resolveAffected(affected, p -> {}));
            c.resolveAffected(c.upsertPolicy(original), p -> {});
        }
        out.printf("  change policy: subjects re-resolved per change %s%n", stats(polSizes));
    }

    static String stats(List<Integer> sizes) {
        List<Integer> s = new ArrayList<>(sizes);
        Collections.sort(s);
        double mean = s.stream().mapToInt(Integer::intValue).average().orElse(0);
        return String.format("mean %.1f, median %d, p90 %d, max %d (over %d changes)",
                mean, s.get(s.size() / 2), s.get((int) (s.size() * 0.9)), s.get(s.size() - 1), s.size());
    }
}
