package io.portcullis.conformance.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole runner over HTTP against {@link FakeStack}: no live stack needed. */
class ConformanceRunnerHttpTest {

    static final String CASE = """
            name: fake-case
            description: one PASS, one FAIL, one reject
            endpoints:
              - {name: client, labels: {app: client}, ips: [127.10.9.2]}
              - {name: server, namespace: default, labels: {app: server}, ips: [127.10.9.3], namedPorts: {http: 80}}
            policies: |
              apiVersion: cilium.io/v2
              kind: CiliumNetworkPolicy
              metadata:
                name: allow-client
              spec:
                endpointSelector: {matchLabels: {app: server}}
                ingress:
                - fromEndpoints: [{matchLabels: {app: client}}]
                  toPorts: [{ports: [{port: "80", protocol: TCP}]}]
            checks:
              - {from: {endpoint: default/client}, to: {endpoint: default/server}, port: 80, protocol: TCP, expect: ALLOWED}
              - {from: {endpoint: default/client}, to: {endpoint: default/server}, port: 81, protocol: TCP, expect: ALLOWED}
            rejects:
              - policy: |
                  apiVersion: cilium.io/v2
                  kind: CiliumNetworkPolicy
                  metadata:
                    name: bad
                  spec:
                    endpointSelector: {}
                    ingress:
                    - toPorts: [{ports: [{port: "70000"}]}]
                field: spec.ingress[0].toPorts[0].ports[0].port
            """;

    static final String FQDN_CASE = """
            name: fqdn-case
            endpoints:
              - {name: ship, labels: {org: alliance}, ips: [127.10.9.5]}
            observations:
              - {endpoint: default/ship, name: cilium.io, ips: [127.200.9.10], ttl: 300}
            checks:
              - {from: {endpoint: default/ship}, to: {ip: 127.200.9.10}, port: 80, protocol: TCP, expect: ALLOWED}
            steps:
              - checks:
                  - {from: {endpoint: default/ship}, to: {ip: 127.200.9.10}, port: 443, protocol: TCP, expect: DENIED}
            """;

    @TempDir
    Path dir;
    FakeStack fake;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        fake = new FakeStack();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private int run(String caseYaml, String... extra) throws IOException {
        Path file = dir.resolve("case.yaml");
        Files.writeString(file, caseYaml);
        List<String> args = new ArrayList<>(List.of("--policy-api", fake.url(), "--node-agent", fake.url(),
                "--fqdn-cache", fake.url(), "--ready-timeout", "5s"));
        args.addAll(List.of(extra));
        args.add(file.toString());
        return ConformanceRunner.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void passFailAndRejectAgainstTheFakeStack() throws IOException {
        int status = run(CASE, "--token", "s3cret");

        List<String> lines = lines();
        assertThat(status).as("output:%n%s%s", out, err).isEqualTo(1);
        assertThat(lines).anyMatch(l -> l.startsWith("PASS fake-case | step 1 | check 1: default/client -> default/server 80/TCP"));
        assertThat(lines).anyMatch(l -> l.startsWith("FAIL fake-case | step 1 | check 2: default/client -> default/server 81/TCP")
                && l.endsWith("| got DENIED: no rule allows port 81"));
        assertThat(lines).anyMatch(l -> l.startsWith("PASS fake-case | reject 1: CiliumNetworkPolicy/default/bad at spec.ingress[0]"));
        assertThat(lines).contains("fake-case: 2 passed, 1 failed");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("conformance: 2 passed, 1 failed");

        // waited: each endpoint polled until ready (2 not-ready answers first), before any verdict
        List<String> reqs = fake.requests();
        int firstVerdict = reqs.indexOf("POST /v1/verdicts");
        assertThat(reqs.subList(0, firstVerdict).stream().filter(r -> r.equals("GET /v1/endpoints/default/client")).count())
                .isGreaterThanOrEqualTo(3);
        // clean slate before, removal after: the stack is empty again
        assertThat(reqs.get(2)).isEqualTo("DELETE /v1/namespaces/default/ciliumnetworkpolicies/allow-client");
        assertThat(reqs).endsWith("DELETE /v1/endpoints/default/client", "DELETE /v1/endpoints/default/server");
        assertThat(fake.policies).isEmpty();
        assertThat(fake.endpoints).isEmpty();
        assertThat(fake.authorizations).containsOnly("Bearer s3cret");
    }

    @Test
    void allPassingExitsZero() throws IOException {
        String passing = CASE.replace("port: 81, protocol: TCP, expect: ALLOWED", "port: 81, protocol: TCP, expect: DENIED");
        assertThat(run(passing)).as("output:%n%s%s", out, err).isZero();
        assertThat(lines().get(lines().size() - 1)).isEqualTo("conformance: 3 passed, 0 failed");
    }

    @Test
    void aLeftoverEndpointWithAnotherSpecIsRemovedFirst() throws IOException {
        fake.endpoints.put("default/client", "{\"old\":true}");
        assertThat(run(CASE)).isEqualTo(1);
        assertThat(lines()).contains("fake-case: 2 passed, 1 failed");
        assertThat(fake.endpoints).isEmpty();
    }

    @Test
    void observationsWithoutFqdnCacheFailTheCaseWithTheReason() throws IOException {
        assertThat(run(FQDN_CASE)).isEqualTo(1);
        List<String> lines = lines();
        assertThat(lines).contains(
                "FAIL fqdn-case | step 1 | fqdn-cache-service does not answer /v1/fqdn/observations: 404");
        assertThat(lines).anyMatch(l -> l.startsWith("FAIL fqdn-case | step 1 | check 1:") && l.endsWith("| not run: step 1 failed"));
        assertThat(lines).anyMatch(l -> l.startsWith("FAIL fqdn-case | step 2 | check 1:") && l.endsWith("| not run: step 1 failed"));
        assertThat(lines).contains("fqdn-case: 0 passed, 3 failed");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("conformance: 0 passed, 3 failed");
        assertThat(fake.endpoints).isEmpty();
    }

    @Test
    void observationsThatAreRealizedLetTheChecksRun() throws IOException {
        fake.observationsImplemented = true;
        assertThat(run(FQDN_CASE)).as("output:%n%s%s", out, err).isZero();
        assertThat(lines().get(lines().size() - 1)).isEqualTo("conformance: 2 passed, 0 failed");
        assertThat(fake.requests()).contains("POST /v1/fqdn/observations");
    }

    @Test
    void endpointsThatNeverGetReadyFailAfterTheTimeout() throws IOException {
        fake.neverReady = true;
        assertThat(run(CASE, "--ready-timeout", "300ms")).isEqualTo(1);
        assertThat(lines()).anyMatch(l -> l.startsWith("FAIL fake-case | step 1 | not ready at revision 6 within 300ms:")
                && l.contains("default/client (regenerating, policyRevision 5)"));
        // checks reported, not skipped; the reject still runs
        assertThat(lines()).contains("fake-case: 1 passed, 3 failed");
    }

    @Test
    void aStackThatDoesNotAnswerIsAClearErrorWithStatus2() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path file = dir.resolve("case.yaml");
        Files.writeString(file, CASE);
        int status = ConformanceRunner.run(new String[] {"--policy-api", "http://127.0.0.1:" + port, file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("policy-api does not answer at http://127.0.0.1:" + port + ": connection refused")
                .contains("dev/stack up");
    }

    @Test
    void anUnknownCaseNameIsAUsageError() throws IOException {
        assertThat(run(CASE, "--case", "nope")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no case named nope");
    }

    @Test
    void anUnreadableCaseFileIsAFailureNotASkip() throws IOException {
        assertThat(run("name: broken\nendpoints: [{name: a, typo: 1}]\n")).isEqualTo(1);
        assertThat(lines()).anyMatch(l -> l.startsWith("FAIL case.yaml | load "));
        assertThat(lines().get(lines().size() - 1)).isEqualTo("conformance: 0 passed, 1 failed");
    }
}
