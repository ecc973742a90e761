package io.portcullis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Propagation through the live local stack: loads {@code --endpoints} of the {@link Workload}'s 2,000
 * endpoints into node-agent and {@code --policies} of its 1,000 policies into policy-api, waits until
 * every endpoint of the node is ready, then {@code --applies} times edits one loaded policy
 * ({@link Workload#modifiedPolicyYaml(int)}, alternating with the original when a policy comes round
 * again) and measures the wall time from just before the {@code POST /v1/policies} to the moment every
 * endpoint of the node reports {@code state: ready} with {@code policyRevision >= revision}.
 *
 * <p>Subsets are spread evenly over the workload (every k-th endpoint / policy), so a small
 * configuration still spans all namespaces. Endpoint {@code g} of the workload always gets IP
 * {@code 127.20.(g/250).(g%250+1)}, so re-runs re-POST the same specs (200, nothing published).
 * Loopback only; every loop is bounded. Exit 0 on success, 1 if some apply timed out, 2 if the stack
 * does not answer.
 */
public final class PropagationBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private int endpoints = 2000;
    private int policies = 1000;
    private int applies = 200;
    private int concurrency = 4;
    private int batch = 50;
    private long pollMs = 3;
    private long applyTimeoutMs = 15_000;
    private long loadTimeoutS = 600;
    private double targetMs = 100;
    private String api = "http://127.0.0.1:8081";
    private String agent = "http://127.0.0.1:8086";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .executor(Executors.newFixedThreadPool(4))
            .build();

    public static void main(String[] args) throws Exception {
        PropagationBench b = new PropagationBench();
        b.parseArgs(args);
        int rc = 1;
        try {
            rc = b.run();
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            System.exit(rc); // the HTTP client's threads must not keep the JVM alive
        }
    }

    private void parseArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("""
                        usage: PropagationBench [--endpoints N<=2000] [--policies M<=1000] [--applies K]
                               [--concurrency C] [--batch DOCS_PER_POST] [--poll-ms MS] [--apply-timeout-ms MS]
                               [--load-timeout-s S] [--target-ms MS] [--api URL] [--agent URL]""");
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--endpoints" -> endpoints = Math.min(2000, Integer.parseInt(v));
                case "--policies" -> policies = Math.min(1000, Integer.parseInt(v));
                case "--applies" -> applies = Integer.parseInt(v);
                case "--concurrency" -> concurrency = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--poll-ms" -> pollMs = Long.parseLong(v);
                case "--apply-timeout-ms" -> applyTimeoutMs = Long.parseLong(v);
                case "--load-timeout-s" -> loadTimeoutS = Long.parseLong(v);
                case "--target-ms" -> targetMs = Double.parseDouble(v);
                case "--api" -> api = v;
                case "--agent" -> agent = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (endpoints < 1 || policies < 1 || applies < 1 || concurrency < 1 || batch < 1) {
            throw new IllegalArgumentException("sizes must be >= 1");
        }
    }

    private int run() throws Exception {
        if (!answers(api + "/v1/policies") || !answers(agent + "/v1/endpoints")) {
            System.err.println("propagation: the stack does not answer on " + api + " and " + agent
                    + "; start it with `dev/stack up`");
            return 2;
        }
        Workload w = Workload.generate();
        List<Workload.EndpointSpec> allEps = w.endpointSpecs();
        List<String> allDocs = w.policyDocumentsYaml();
        int[] epIdx = spread(allEps.size(), endpoints);
        int[] polIdx = spread(allDocs.size(), policies);
        System.out.printf(Locale.ROOT, "propagation: %d endpoints, %d policies, %d applies (concurrency %d, %d docs/POST, poll %d ms)%n",
                endpoints, policies, applies, concurrency, batch, pollMs);

        // ---- load endpoints
        long t0 = System.nanoTime();
        AtomicInteger created = new AtomicInteger();
        AtomicInteger existing = new AtomicInteger();
        List<String> epErrors = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> fs = new ArrayList<>();
        for (int g : epIdx) {
            Workload.EndpointSpec e = allEps.get(g);
            fs.add(pool.submit(() -> {
                int code = postEndpoint(e, g, epErrors);
                if (code == 201) {
                    created.incrementAndGet();
                } else if (code == 200) {
                    existing.incrementAndGet();
                }
            }));
        }
        awaitAll(fs, loadTimeoutS);
        double epSecs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "load: endpoints %d created, %d already there, %d failed in %.1f s (%.0f/s)%n",
                created.get(), existing.get(), epErrors.size(), epSecs, endpoints / epSecs);
        epErrors.stream().limit(5).forEach(m -> System.out.println("  endpoint error: " + m));

        // ---- load policies, originals, in batches
        t0 = System.nanoTime();
        AtomicLong maxRev = new AtomicLong(-1);
        List<String> polErrors = Collections.synchronizedList(new ArrayList<>());
        fs.clear();
        for (int from = 0; from < polIdx.length; from += batch) {
            StringBuilder body = new StringBuilder();
            for (int k = from; k < Math.min(polIdx.length, from + batch); k++) {
                body.append(allDocs.get(polIdx[k]));
            }
            String yaml = body.toString();
            fs.add(pool.submit(() -> {
                try {
                    long rev = postPolicies(yaml);
                    maxRev.accumulateAndGet(rev, Math::max);
                } catch (Exception ex) {
                    polErrors.add(ex.getMessage());
                }
            }));
        }
        awaitAll(fs, loadTimeoutS);
        pool.shutdown();
        double polSecs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "load: policies %d in %d POSTs, %d failed POSTs, in %.1f s; highest revision %d%n",
                policies, (policies + batch - 1) / batch, polErrors.size(), polSecs, maxRev.get());
        polErrors.stream().limit(5).forEach(m -> System.out.println("  policy error: " + m));
        if (!polErrors.isEmpty() || !epErrors.isEmpty()) {
            System.out.println("load: errors above; continuing with what loaded");
        }

        // ---- wait for all ready at the highest load revision (or the node's newest)
        t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(loadTimeoutS);
        Snapshot s = null;
        long nextReport = t0 + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            s = snapshot();
            if (s != null && s.total > 0 && s.readyAt(Math.max(maxRev.get(), 0))) {
                break;
            }
            if (System.nanoTime() > nextReport) {
                System.out.printf(Locale.ROOT, "load: waiting for revision %d, %.0f s: %s%n", maxRev.get(),
                        (System.nanoTime() - t0) / 1e9, s);
                nextReport += TimeUnit.SECONDS.toNanos(15);
            }
            Thread.sleep(200);
        }
        double readySecs = (System.nanoTime() - t0) / 1e9;
        if (s == null || !s.readyAt(Math.max(maxRev.get(), 0))) {
            System.out.printf(Locale.ROOT, "load: NOT all ready after %.0f s: %s%n", readySecs, s);
            return 1;
        }
        System.out.printf(Locale.ROOT, "load: all %d endpoints of node %s ready at revision >= %d after %.1f s more%n",
                s.total, s.node, maxRev.get(), readySecs);

        // ---- applies
        // only policies the workload can edit (one more port or peer); a few (e.g. some CCNPs) cannot
        Map<Integer, String> edited = new LinkedHashMap<>();
        for (int i : polIdx) {
            try {
                edited.put(i, w.modifiedPolicyYaml(i));
            } catch (IllegalStateException notEditable) {
                // skipped
            }
        }
        int[] order = edited.keySet().stream().mapToInt(Integer::intValue).toArray();
        shuffle(order, new Random(Workload.SEED + 3));
        double[] ms = new double[applies];
        double[] postMs = new double[applies];
        int timeouts = 0;
        int done = 0;
        long worstRev = 0;
        for (int k = 0; k < applies; k++) {
            int idx = order[k % order.length];
            boolean modified = (k / order.length) % 2 == 0;
            String yaml = modified ? edited.get(idx) : allDocs.get(idx);
            long start = System.nanoTime();
            long rev = postPolicies(yaml);
            postMs[k] = (System.nanoTime() - start) / 1e6;
            long end = start + TimeUnit.MILLISECONDS.toNanos(applyTimeoutMs);
            boolean ok = false;
            Snapshot last = null;
            while (System.nanoTime() < end) {
                last = snapshot();
                if (last != null && last.readyAt(rev)) {
                    ok = true;
                    break;
                }
                Thread.sleep(pollMs);
            }
            ms[k] = (System.nanoTime() - start) / 1e6;
            done++;
            if (!ok) {
                timeouts++;
                System.out.printf(Locale.ROOT, "apply %d (policy %d, revision %d): TIMEOUT after %d ms: %s%n",
                        k, idx, rev, applyTimeoutMs, last);
                if (timeouts >= 3) {
                    System.out.println("apply: 3 timeouts, stopping");
                    break;
                }
            }
            worstRev = rev;
            Thread.sleep(20); // let the stack settle between applies: one change at a time
        }

        double[] got = Arrays.copyOf(ms, done);
        double[] post = Arrays.copyOf(postMs, done);
        Arrays.sort(got);
        Arrays.sort(post);
        double p99 = pct(got, 99);
        System.out.println();
        System.out.printf(Locale.ROOT, "== propagation summary: %d endpoints, %d policies, %d applies measured (%d timed out), last revision %d%n",
                endpoints, policies, done, timeouts, worstRev);
        System.out.printf(Locale.ROOT, "POST -> all endpoints ready   p50 %8.1f ms  p90 %8.1f ms  p99 %8.1f ms  max %8.1f ms%n",
                pct(got, 50), pct(got, 90), p99, got[got.length - 1]);
        System.out.printf(Locale.ROOT, "POST /v1/policies alone       p50 %8.1f ms  p90 %8.1f ms  p99 %8.1f ms  max %8.1f ms%n",
                pct(post, 50), pct(post, 90), pct(post, 99), post[post.length - 1]);
        System.out.printf(Locale.ROOT, "target p99 < %.0f ms: p99/target = %.2f  %s%n", targetMs, p99 / targetMs,
                p99 < targetMs && timeouts == 0 ? "MET" : "NOT MET");
        System.out.printf(Locale.ROOT, "load average: %s%n", loadAverage());
        return timeouts == 0 ? 0 : 1;
    }

    // ------------------------------------------------------------------ HTTP

    private boolean answers(String url) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private int postEndpoint(Workload.EndpointSpec e, int g, List<String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", e.name());
        body.put("namespace", e.namespace());
        body.put("labels", e.podLabels());
        body.put("namespaceLabels", e.namespaceLabels());
        body.put("serviceAccount", e.serviceAccount());
        body.put("ips", List.of("127.20." + (g / 250) + "." + (g % 250 + 1)));
        body.put("namedPorts", Workload.NAMED_PORTS);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(agent + "/v1/endpoints"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                errors.add(e.namespace() + "/" + e.name() + ": " + r.statusCode() + " " + abbrev(r.body()));
            }
            return r.statusCode();
        } catch (Exception ex) {
            errors.add(e.namespace() + "/" + e.name() + ": " + ex);
            return -1;
        }
    }

    private long postPolicies(String yaml) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/policies"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/yaml")
                        .POST(HttpRequest.BodyPublishers.ofString(yaml)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("POST /v1/policies: " + r.statusCode() + " " + abbrev(r.body()));
        }
        return JSON.readTree(r.body()).path("revision").asLong(-1);
    }

    /** {@code GET /v1/endpoints} reduced to what readiness needs; null if it did not answer 200. */
    private Snapshot snapshot() {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(agent + "/v1/endpoints"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode n = JSON.readTree(r.body());
            Snapshot s = new Snapshot();
            s.node = n.path("node").asText();
            s.newest = n.path("newestRevision").asLong(-1);
            s.minRevision = Long.MAX_VALUE;
            for (JsonNode it : n.path("items")) {
                s.total++;
                if ("ready".equals(it.path("state").asText())) {
                    s.ready++;
                }
                s.minRevision = Math.min(s.minRevision, it.path("policyRevision").asLong(-1));
            }
            return s;
        } catch (Exception e) {
            return null;
        }
    }

    private static final class Snapshot {
        String node;
        long newest;
        int total;
        int ready;
        long minRevision;

        boolean readyAt(long rev) {
            return total > 0 && ready == total && minRevision >= rev;
        }

        @Override
        public String toString() {
            return "node " + node + " newest " + newest + ", " + ready + "/" + total + " ready, lowest policyRevision "
                    + (minRevision == Long.MAX_VALUE ? "-" : minRevision);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static int[] spread(int size, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) ((long) i * size / n);
        }
        return out;
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Nearest-rank percentile of a sorted array. */
    private static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void awaitAll(List<Future<?>> fs, long timeoutS) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        for (Future<?> f : fs) {
            long left = deadline - System.nanoTime();
            f.get(Math.max(1, left), TimeUnit.NANOSECONDS);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim() + " (" + Runtime.getRuntime().availableProcessors() + " cpus)";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String abbrev(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
