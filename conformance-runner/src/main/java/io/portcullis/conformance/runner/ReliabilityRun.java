package io.portcullis.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.conformance.runner.Requests.PolicyRef;
import io.portcullis.conformance.runner.StackClient.Resp;
import io.portcullis.conformance.runner.StackClient.Unreachable;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.policy.conformance.ConformanceCase.Check;
import io.portcullis.policy.conformance.ConformanceCase.Target;
import io.portcullis.policy.conformance.InProcessCluster;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reliability run against a live local stack (issue 3): a burst of policy applies and deletes,
 * compiler-service and identity-service SIGKILLed mid-burst and restarted with {@code dev/stack up},
 * node-agent asked for verdicts throughout, an endpoint registered during the outage. At the end every
 * acknowledged change must be in policy-api, every endpoint ready at the last revision, and the
 * verdicts over every pair of endpoints × a port sample equal to what the pure engine
 * ({@link InProcessCluster}) answers for the same inputs.
 *
 * <p>It resets the stack's policies and node-1's endpoints first: run it on a test stack only.
 * Prints one line per phase and every failure; exit 0 only when nothing failed.
 */
public final class ReliabilityRun {

    static final String STABLE = "stable";
    static final String CHURN = "churn";
    static final List<String> CHURN_APPS = List.of("web", "api", "db", "cache");
    static final List<Integer> PORTS = List.of(80, 443, 8080);

    private final StackClient stack;
    private final Path root;
    private final int applies;
    private final Random random;
    private final PrintStream out;
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The acknowledged content per policy (one YAML document each), in the order last written; absent = deleted. */
    private final Map<PolicyRef, String> expected = new LinkedHashMap<>();
    /** The revision policy-api answered for each policy's last acknowledged apply. */
    private final Map<PolicyRef, Long> expectedRevision = new LinkedHashMap<>();
    private long lastRevision = -1;

    ReliabilityRun(StackClient stack, Path root, int applies, long seed, PrintStream out) {
        this.stack = stack;
        this.root = root;
        this.applies = applies;
        this.random = new Random(seed);
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        String api = "http://127.0.0.1:8081";
        String agent = "http://127.0.0.1:8086";
        int applies = 200;
        long seed = 3;
        Path root = Path.of(".").toAbsolutePath().normalize();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--policy-api" -> api = args[++i];
                case "--node-agent" -> agent = args[++i];
                case "--applies" -> applies = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                default -> {
                    System.err.println("usage: ReliabilityRun [--policy-api URL] [--node-agent URL] [--applies N]"
                            + " [--seed S] [--root CHECKOUT]");
                    System.exit(2);
                }
            }
        }
        Options o = Options.parse("--policy-api", api, "--node-agent", agent, "--ready-timeout", "30s");
        ReliabilityRun run = new ReliabilityRun(new StackClient(o), root, applies, seed, System.out);
        System.exit(run.run());
    }

    // ---- the scenario --------------------------------------------------------------------------------

    int run() throws Exception {
        long t0 = System.nanoTime();
        reset();
        List<CaseEndpoint> endpoints = endpoints();
        for (CaseEndpoint e : endpoints) {
            Resp r = stack.registerEndpoint(Requests.endpoint(e));
            require(r.status() == 201 || r.status() == 200, "register " + e.key() + ": " + r.describe());
        }
        String baseline = baselinePolicies();
        Resp b = stack.applyPolicies(baseline);
        require(b.status() == 200, "baseline apply: " + b.describe());
        lastRevision = b.revision();
        awaitReady(endpoints, lastRevision, Duration.ofSeconds(60));
        InProcessCluster base = cluster(endpoints, baseline, Map.of());
        List<Check> stableSample = sample(endpoints, e -> e.namespace().equals(STABLE));
        Map<Check, String> stableExpected = expectedVerdicts(base, stableSample);
        compareVerdicts("baseline", stableSample, stableExpected);
        say("baseline: %d endpoints ready at revision %d, %d stable verdicts as expected", endpoints.size(),
                lastRevision, stableSample.size());

        int killAt = applies * 3 / 10;
        int restartAt = applies * 7 / 10;
        CaseEndpoint late = new CaseEndpoint("late", CHURN, Map.of("app", "web", "tier", "late"), Map.of(), "default",
                List.of("127.20.1.100"), Map.of());
        AtomicBoolean outage = new AtomicBoolean(false);
        AtomicInteger outageChecks = new AtomicInteger();
        CompletableFuture<Void> monitor = null;
        CompletableFuture<Resp> lateRegistration = null;
        CompletableFuture<Integer> restart = null;
        int failedApplies = 0;
        long killedAt = 0;
        for (int i = 0; i < applies; i++) {
            if (i == killAt) {
                kill("compiler-service");
                kill("identity-service");
                killedAt = System.nanoTime();
                say("apply %d: compiler-service and identity-service SIGKILLed", i);
                outage.set(true);
                Thread.sleep(1000); // whatever was committed before the kill reaches node-agent
                List<Check> churnSample = sample(endpoints, e -> e.namespace().equals(CHURN));
                Map<Check, String> frozen = liveVerdicts(churnSample);
                monitor = CompletableFuture.runAsync(() -> monitorOutage(outage, outageChecks, stableSample,
                        stableExpected, churnSample, frozen, late));
                lateRegistration = CompletableFuture.supplyAsync(() -> call(() -> stack.registerEndpoint(
                        Requests.endpoint(late))));
            }
            if (i == restartAt) {
                // the registration gives up waiting for its identity (504) while identity-service is still
                // down; the outage ends when dev/stack up is called: the monitor's checks stop here
                Resp lr = lateRegistration.get(60, TimeUnit.SECONDS);
                say("registration during the outage answered %s", lr.describe());
                require(lr.status() == 504, "registration during the outage: " + lr.describe());
                outage.set(false);
                monitor.get(30, TimeUnit.SECONDS);
                say("apply %d: outage over after %ds and %d verdict rounds; dev/stack up restarts what is not"
                        + " running", i, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt), outageChecks.get());
                restart = CompletableFuture.supplyAsync(this::stackUp);
            }
            if (!applyOne(i)) {
                failedApplies++;
            }
            Thread.sleep(20);
        }
        require(failedApplies == 0, failedApplies + " of " + applies + " applies were not acknowledged");
        int rc = restart.get(240, TimeUnit.SECONDS);
        require(rc == 0, "dev/stack up exited " + rc + " (see .stack/logs/reliability-up.log)");
        say("burst: %d applies acknowledged, last revision %d, %d policies expected", applies, lastRevision,
                expected.size());

        List<CaseEndpoint> all = new ArrayList<>(endpoints);
        all.add(late);
        awaitReady(all, lastRevision, Duration.ofSeconds(90));
        checkStoredPolicies();
        InProcessCluster fin = cluster(all, baseline, expected);
        List<Check> finalSample = sample(all, e -> true);
        compareVerdicts("final", finalSample, expectedVerdicts(fin, finalSample));
        say("final: %d endpoints ready at revision %d; %d verdicts compared with the pure engine", all.size(),
                lastRevision, finalSample.size());

        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        if (failures.isEmpty()) {
            say("PASSED in %ds", s);
            return 0;
        }
        say("FAILED in %ds, %d problem(s):", s, failures.size());
        synchronized (failures) {
            failures.stream().limit(40).forEach(f -> out.println("  - " + f));
        }
        return 1;
    }

    /** {@code n} policies as the burst generates them (for tests). */
    List<String> generate(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PolicyRef ref = i % 5 == 0 ? new PolicyRef(Requests.CCNP, null, "cw-" + i) : new PolicyRef(Requests.CNP, CHURN, "p" + i);
            out.add(policyYaml(ref));
        }
        return out;
    }

    /** One change of the burst: mostly applies (some with two documents, some clusterwide), some deletes. */
    private boolean applyOne(int i) throws Unreachable {
        List<PolicyRef> existing = List.copyOf(expected.keySet());
        if (!existing.isEmpty() && random.nextInt(100) < 15) {
            PolicyRef victim = existing.get(random.nextInt(existing.size()));
            Resp r = stack.deletePolicy(victim);
            if (r.status() != 200) {
                failures.add("delete " + victim + " (change " + i + "): " + r.describe());
                return false;
            }
            expected.remove(victim);
            expectedRevision.remove(victim);
            lastRevision = Math.max(lastRevision, r.revision());
            return true;
        }
        int docs = random.nextInt(100) < 20 ? 2 : 1;
        Map<PolicyRef, String> batch = new LinkedHashMap<>();
        while (batch.size() < docs) {
            boolean clusterwide = random.nextInt(100) < 15;
            PolicyRef ref = clusterwide ? new PolicyRef(Requests.CCNP, null, "cw-" + random.nextInt(3))
                    : new PolicyRef(Requests.CNP, CHURN, "p" + random.nextInt(16));
            batch.put(ref, policyYaml(ref));
        }
        String yaml = String.join("---\n", batch.values());
        Resp r = stack.applyPolicies(yaml);
        if (r.status() != 200) {
            failures.add("apply " + batch.keySet() + " (change " + i + "): " + r.describe());
            return false;
        }
        for (Map.Entry<PolicyRef, String> e : batch.entrySet()) {
            expected.remove(e.getKey()); // keep the order of last writes
            expected.put(e.getKey(), e.getValue());
            expectedRevision.put(e.getKey(), r.revision());
        }
        lastRevision = Math.max(lastRevision, r.revision());
        return true;
    }

    /** While compiler-service and identity-service are down: node-agent answers from realized state. */
    private void monitorOutage(AtomicBoolean outage, AtomicInteger rounds, List<Check> stableSample,
                               Map<Check, String> stableExpected, List<Check> churnSample, Map<Check, String> frozen,
                               CaseEndpoint late) {
        Check toLate = new Check(new Target(CHURN + "/c-api-0", null), new Target(late.key(), null), 80, "TCP", null,
                null, null, null);
        Check fromLate = new Check(new Target(late.key(), null), new Target(CHURN + "/c-api-0", null), 80, "TCP", null,
                null, null, null);
        while (outage.get()) {
            int n = rounds.incrementAndGet();
            compareVerdicts("outage round " + n + " (stable)", stableSample, stableExpected);
            compareVerdicts("outage round " + n + " (churn, realized before the kill)", churnSample, frozen);
            Resp st = call(() -> stack.getEndpoint(late.key()));
            if (st.status() == 200) {
                String state = st.json().path("state").asText();
                if ("ready".equals(state)) {
                    failures.add("outage: " + late.key() + " is ready while identity-service is down");
                }
                for (Check c : List.of(toLate, fromLate)) {
                    Resp v = call(() -> stack.verdict(Requests.verdict(c)));
                    if (v.status() != 200 || !"DENIED".equals(v.json().path("verdict").asText())) {
                        failures.add("outage: " + c + " must fail closed (DENIED), got " + v.describe());
                    }
                }
            }
            sleep(300);
        }
    }

    // ---- expected state --------------------------------------------------------------------------------

    static List<CaseEndpoint> endpoints() {
        List<CaseEndpoint> out = new ArrayList<>();
        int host = 1;
        for (String app : List.of("sa", "sb", "sc")) {
            out.add(new CaseEndpoint("s-" + app, STABLE, Map.of("app", app), Map.of(), "default",
                    List.of("127.20.0." + host++), Map.of()));
        }
        host = 1;
        for (String app : CHURN_APPS) {
            for (int k = 0; k < 2; k++) {
                out.add(new CaseEndpoint("c-" + app + "-" + k, CHURN, Map.of("app", app, "tier", "t" + k), Map.of(),
                        "default", List.of("127.20.1." + host++), Map.of()));
            }
        }
        return out;
    }

    /** Stable namespace: sa may reach sb on 80 only; nothing in the burst selects these endpoints. */
    static String baselinePolicies() {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: sb-ingress, namespace: stable}
                spec:
                  endpointSelector: {matchLabels: {app: sb}}
                  ingress:
                  - fromEndpoints: [{matchLabels: {app: sa}}]
                    toPorts: [{ports: [{port: "80", protocol: TCP}]}]
                ---
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: sa-egress, namespace: stable}
                spec:
                  endpointSelector: {matchLabels: {app: sa}}
                  egress:
                  - toEndpoints: [{matchLabels: {app: sb}}]
                """;
    }

    /** A random valid policy for {@code ref}: ingress/egress allows and denies between the churn apps. */
    private String policyYaml(PolicyRef ref) {
        StringBuilder y = new StringBuilder("apiVersion: cilium.io/v2\nkind: ").append(ref.kind()).append('\n');
        y.append("metadata: {name: ").append(ref.name());
        if (ref.namespace() != null) {
            y.append(", namespace: ").append(ref.namespace());
        }
        y.append("}\nspec:\n");
        if (ref.namespace() == null) { // clusterwide: only the churn namespace, through its namespace label
            y.append("  endpointSelector: {matchLabels: {app: ").append(app()).append(", 'k8s:io.kubernetes.pod.namespace': ")
                    .append(CHURN).append("}}\n");
        } else {
            y.append("  endpointSelector: {matchLabels: {app: ").append(app()).append("}}\n");
        }
        int rules = 1 + random.nextInt(2);
        List<String> ingress = new ArrayList<>();
        List<String> ingressDeny = new ArrayList<>();
        List<String> egress = new ArrayList<>();
        for (int k = 0; k < rules; k++) {
            String ports = random.nextBoolean() ? ""
                    : "\n    toPorts: [{ports: [{port: \"" + PORTS.get(random.nextInt(PORTS.size())) + "\", protocol: TCP}]}]";
            switch (random.nextInt(5)) {
                case 0, 1 -> ingress.add("  - fromEndpoints: [{matchLabels: {app: " + app() + "}}]" + ports);
                case 2 -> ingressDeny.add("  - fromEndpoints: [{matchLabels: {app: " + app() + "}}]" + ports);
                case 3 -> egress.add("  - toEndpoints: [{matchLabels: {app: " + app() + "}}]" + ports);
                default -> ingress.add("  - fromEntities: [cluster]" + ports);
            }
        }
        if (!ingress.isEmpty()) {
            y.append("  ingress:\n").append(String.join("\n", ingress)).append('\n');
        }
        if (!ingressDeny.isEmpty()) {
            y.append("  ingressDeny:\n").append(String.join("\n", ingressDeny)).append('\n');
        }
        if (!egress.isEmpty()) {
            y.append("  egress:\n").append(String.join("\n", egress)).append('\n');
        }
        return y.toString();
    }

    private String app() {
        return CHURN_APPS.get(random.nextInt(CHURN_APPS.size()));
    }

    /** The pure engine with the same endpoints, the baseline and the expected policies. */
    static InProcessCluster cluster(List<CaseEndpoint> endpoints, String baseline, Map<PolicyRef, String> policies) {
        InProcessCluster c = new InProcessCluster();
        endpoints.forEach(c::addEndpoint);
        for (String yaml : concat(baseline, policies)) {
            var r = c.apply(yaml);
            if (!r.errors().isEmpty()) {
                throw new IllegalStateException("the pure engine rejects a policy the stack accepted: " + r.errors());
            }
        }
        return c;
    }

    private static List<String> concat(String baseline, Map<PolicyRef, String> policies) {
        List<String> out = new ArrayList<>();
        out.add(baseline);
        out.addAll(policies.values());
        return out;
    }

    /** Every ordered pair of distinct endpoints whose source matches, × {@link #PORTS}, TCP. */
    static List<Check> sample(List<CaseEndpoint> endpoints, java.util.function.Predicate<CaseEndpoint> from) {
        List<Check> out = new ArrayList<>();
        for (CaseEndpoint a : endpoints) {
            if (!from.test(a)) {
                continue;
            }
            for (CaseEndpoint b : endpoints) {
                if (a == b || !from.test(b)) {
                    continue;
                }
                for (int port : PORTS) {
                    out.add(new Check(new Target(a.key(), null), new Target(b.key(), null), port, "TCP", null, null,
                            null, null));
                }
            }
        }
        return out;
    }

    static Map<Check, String> expectedVerdicts(InProcessCluster c, List<Check> sample) {
        Map<Check, String> out = new LinkedHashMap<>();
        sample.forEach(k -> out.put(k, c.check(k).verdict().name()));
        return out;
    }

    // ---- comparisons -------------------------------------------------------------------------------------

    private Map<Check, String> liveVerdicts(List<Check> sample) {
        Map<Check, String> out = new LinkedHashMap<>();
        for (Check c : sample) {
            Resp v = call(() -> stack.verdict(Requests.verdict(c)));
            out.put(c, v.status() == 200 ? v.json().path("verdict").asText() : v.describe());
        }
        return out;
    }

    private void compareVerdicts(String what, List<Check> sample, Map<Check, String> want) {
        Map<Check, String> got = liveVerdicts(sample);
        int wrong = 0;
        for (Check c : sample) {
            if (!want.get(c).equals(got.get(c))) {
                if (wrong++ < 5) {
                    failures.add(what + ": " + c.from() + " -> " + c.to() + " " + c.port() + "/TCP: node-agent "
                            + got.get(c) + ", expected " + want.get(c));
                }
            }
        }
        if (wrong > 5) {
            failures.add(what + ": " + (wrong - 5) + " more wrong verdicts");
        }
    }

    /** Every acknowledged policy is stored, at the revision of its last acknowledged write; nothing else. */
    private void checkStoredPolicies() throws Unreachable {
        Resp r = stack.listPolicies();
        require(r.status() == 200, "GET /v1/policies: " + r.describe());
        Map<String, Long> stored = new TreeMap<>();
        for (JsonNode item : r.json().path("items")) {
            PolicyRef ref = Requests.policyRefs(Requests.JSON.createArrayNode().add(item)).get(0);
            stored.put(ref.toString(), Long.parseLong(item.path("metadata").path("resourceVersion").asText("-1")));
        }
        Map<String, Long> want = new TreeMap<>();
        expectedRevision.forEach((ref, rev) -> want.put(ref.toString(), rev));
        for (String baselineRef : List.of("CiliumNetworkPolicy/stable/sb-ingress", "CiliumNetworkPolicy/stable/sa-egress")) {
            want.put(baselineRef, stored.getOrDefault(baselineRef, -2L)); // present; written before the burst
        }
        if (!want.equals(stored)) {
            failures.add("policy-api stores " + stored + ", expected " + want);
        } else {
            say("policy-api: all %d policies stored at the revision of their last acknowledged write", stored.size());
        }
    }

    private void awaitReady(List<CaseEndpoint> endpoints, long revision, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> waiting;
        do {
            waiting = new ArrayList<>();
            for (CaseEndpoint e : endpoints) {
                Resp r = call(() -> stack.getEndpoint(e.key()));
                String state = r.status() == 200 ? r.json().path("state").asText("?") : r.describe();
                long rev = r.status() == 200 ? r.json().path("policyRevision").asLong(-1) : -1;
                if (!"ready".equals(state) || rev < revision) {
                    waiting.add(e.key() + " (" + state + ", policyRevision " + rev + ")");
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("not ready at revision " + revision + " after " + timeout.toSeconds() + "s: "
                + waiting);
    }

    // ---- the stack -----------------------------------------------------------------------------------------

    /** Deletes every stored policy and every endpoint of the node, so the expected state is ours alone. */
    private void reset() throws Exception {
        Resp list = stack.listPolicies();
        require(list.status() == 200, "GET /v1/policies: " + list.describe());
        for (PolicyRef ref : Requests.policyRefs(list.json().path("items"))) {
            Resp d = stack.deletePolicy(ref);
            require(d.status() == 200 || d.status() == 404, "reset: delete " + ref + ": " + d.describe());
        }
        Resp eps = stack.listEndpoints();
        require(eps.status() == 200, "GET /v1/endpoints: " + eps.describe());
        for (JsonNode e : eps.json().path("items")) {
            Resp d = stack.deleteEndpoint(e.path("namespace").asText() + "/" + e.path("name").asText());
            require(d.status() == 204 || d.status() == 404, "reset: delete endpoint " + e.path("id") + ": "
                    + d.describe());
        }
    }

    /** SIGKILL of a process dev/stack started: its PID file, checked against the marker on its command line. */
    private void kill(String name) throws Exception {
        Path pidFile = root.resolve(".stack/run/" + name + ".pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(name + " is not running"));
        String marker = "-Dportcullis.stack=" + root.resolve(name);
        Optional<String[]> cmd = p.info().arguments();
        require(cmd.map(a -> List.of(a).contains(marker)).orElse(true), "pid " + pid + " is not " + name);
        p.destroyForcibly(); // SIGKILL on Linux
        p.onExit().get(10, TimeUnit.SECONDS);
    }

    private int stackUp() {
        try {
            Path log = root.resolve(".stack/logs/reliability-up.log");
            Process p = new ProcessBuilder(root.resolve("dev/stack").toString(), "up")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(200, TimeUnit.SECONDS)) {
                p.destroy();
                return 124;
            }
            say("dev/stack up: exit %d (log: .stack/logs/reliability-up.log)", p.exitValue());
            return p.exitValue();
        } catch (IOException e) {
            failures.add("dev/stack up: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    // ---- small helpers ----------------------------------------------------------------------------------

    private interface Call {
        Resp get() throws Unreachable;
    }

    /** A call that must be answered: an unreachable node-agent counts as a failure, answered as status 0. */
    private Resp call(Call c) {
        try {
            return c.get();
        } catch (Unreachable e) {
            failures.add(e.getMessage());
            return new Resp(0, e.getMessage(), null);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void say(String format, Object... args) {
        out.printf("reliability: " + format + "%n", args);
        out.flush();
    }

}
