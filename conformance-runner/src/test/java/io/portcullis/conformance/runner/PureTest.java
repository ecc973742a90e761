package io.portcullis.conformance.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.conformance.runner.Requests.PolicyRef;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.policy.conformance.ConformanceCase.Check;
import io.portcullis.policy.conformance.ConformanceCase.DnsCheck;
import io.portcullis.policy.conformance.ConformanceCase.HttpCheck;
import io.portcullis.policy.conformance.ConformanceCase.KafkaCheck;
import io.portcullis.policy.conformance.ConformanceCase.Observation;
import io.portcullis.policy.conformance.ConformanceCase.Reject;
import io.portcullis.policy.conformance.ConformanceCase.Step;
import io.portcullis.policy.conformance.ConformanceCase.Target;
import io.portcullis.policy.conformance.ConformanceCases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts without HTTP: options, request bodies, refs and paths, verdict/reject comparison, accounting. */
class PureTest {

    static JsonNode json(String s) throws Exception {
        return Requests.JSON.readTree(s);
    }

    // ---- options ------------------------------------------------------------------------------------

    @Test
    void defaults() throws Exception {
        Options o = Options.parse();
        assertThat(o.policyApi()).isEqualTo("http://127.0.0.1:8081");
        assertThat(o.nodeAgent()).isEqualTo("http://127.0.0.1:8086");
        assertThat(o.fqdnCache()).isEqualTo("http://127.0.0.1:8084");
        assertThat(o.readyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.paths()).isEmpty();
        assertThat(o.caseNames()).isEmpty();
        assertThat(o.token()).isNull();
    }

    @Test
    void everyOption() throws Exception {
        Options o = Options.parse("--policy-api", "http://h:1/", "--node-agent=http://h:2", "--fqdn-cache", "https://h:3",
                "--ready-timeout", "1500ms", "--case", "a", "--case=b", "--token", "t", "x.yaml", "dir");
        assertThat(o.policyApi()).isEqualTo("http://h:1");
        assertThat(o.nodeAgent()).isEqualTo("http://h:2");
        assertThat(o.fqdnCache()).isEqualTo("https://h:3");
        assertThat(o.readyTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.caseNames()).containsExactly("a", "b");
        assertThat(o.token()).isEqualTo("t");
        assertThat(o.paths()).containsExactly(Path.of("x.yaml"), Path.of("dir"));
        assertThat(Options.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Options.duration("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Options.duration("0.5s")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void badOptions() {
        assertThatThrownBy(() -> Options.parse("--bogus")).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> Options.parse("--case")).hasMessageContaining("--case needs a value");
        assertThatThrownBy(() -> Options.parse("--policy-api", "localhost:8081")).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> Options.parse("--ready-timeout", "soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Options.parse("--ready-timeout", "0s")).hasMessageContaining("positive");
    }

    // ---- refs and paths -----------------------------------------------------------------------------

    @Test
    void refsToPaths() {
        assertThat(PolicyRef.parse("CiliumNetworkPolicy/default/rule1").path())
                .isEqualTo("/v1/namespaces/default/ciliumnetworkpolicies/rule1");
        assertThat(PolicyRef.parse("CiliumClusterwideNetworkPolicy/deny-all").path())
                .isEqualTo("/v1/ciliumclusterwidenetworkpolicies/deny-all");
        assertThat(PolicyRef.parse("CiliumNetworkPolicy/rule1").toString()).isEqualTo("CiliumNetworkPolicy/default/rule1");
        assertThat(PolicyRef.parse("CiliumNetworkPolicy/a b/x").path()).isEqualTo("/v1/namespaces/a%20b/ciliumnetworkpolicies/x");
        assertThatThrownBy(() -> PolicyRef.parse("Pod/default/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PolicyRef.parse("CiliumClusterwideNetworkPolicy/a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Requests.endpointPath("kube-system/kube-dns")).isEqualTo("/v1/endpoints/kube-system/kube-dns");
        assertThatThrownBy(() -> Requests.endpointPath("nonamespace")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void policyRefsOfYamlDocumentsAndLists() throws Exception {
        String yaml = """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: a}
                ---
                apiVersion: cilium.io/v2
                kind: CiliumClusterwideNetworkPolicy
                metadata: {name: b}
                ---
                kind: List
                items:
                - {kind: CiliumNetworkPolicy, metadata: {name: c, namespace: prod}}
                - {kind: ConfigMap, metadata: {name: ignored}}
                """;
        assertThat(Requests.policyRefs(yaml)).containsExactly(new PolicyRef("CiliumNetworkPolicy", "default", "a"),
                new PolicyRef("CiliumClusterwideNetworkPolicy", null, "b"), new PolicyRef("CiliumNetworkPolicy", "prod", "c"));
        assertThat(Requests.policyRefs("kind: CiliumNetworkPolicy\nmetadata: {name: ok}\n---\n: : [unparsable"))
                .containsExactly(new PolicyRef("CiliumNetworkPolicy", "default", "ok"));
        assertThat(Requests.policyRefs((String) null)).isEmpty();
        assertThat(Requests.policyRefs(json("[{\"kind\":\"CiliumNetworkPolicy\",\"metadata\":{\"name\":\"x\",\"namespace\":\"n\"}}]")))
                .containsExactly(new PolicyRef("CiliumNetworkPolicy", "n", "x"));
    }

    @Test
    void plannedPoliciesCoverAppliesDeletesAndRejects() {
        ConformanceCase c = new ConformanceCase("c", null, null,
                "kind: CiliumNetworkPolicy\nmetadata: {name: top}\n", null, null,
                List.of(new Step("kind: CiliumClusterwideNetworkPolicy\nmetadata: {name: cw}\n",
                        List.of("CiliumNetworkPolicy/other/gone"), null, null)),
                List.of(new Reject("kind: CiliumNetworkPolicy\nmetadata: {name: bad, namespace: x}\n", "spec")));
        assertThat(CaseRunner.plannedPolicies(c)).extracting(PolicyRef::toString).containsExactly(
                "CiliumNetworkPolicy/default/top", "CiliumClusterwideNetworkPolicy/cw", "CiliumNetworkPolicy/other/gone",
                "CiliumNetworkPolicy/x/bad");
    }

    // ---- bodies -------------------------------------------------------------------------------------

    @Test
    void checkToVerdictRequest() throws Exception {
        Check http = new Check(new Target("default/a", null), new Target(null, "127.200.0.1"), 80, "TCP",
                new HttpCheck("GET", "/v1/x", "example.com", Map.of("X-My-Header", "true")), null, null, "ALLOWED");
        assertThat(Requests.verdict(http)).isEqualTo(json("""
                {"from":{"endpoint":"default/a"},"to":{"ip":"127.200.0.1"},"port":80,"protocol":"TCP",
                 "http":{"method":"GET","path":"/v1/x","host":"example.com","headers":{"X-My-Header":"true"}}}"""));

        Check kafka = new Check(new Target("default/a", null), new Target("default/b", null), 9092, "TCP", null,
                new KafkaCheck("produce", 3, "x", List.of("t1")), null, "DENIED");
        assertThat(Requests.verdict(kafka)).isEqualTo(json("""
                {"from":{"endpoint":"default/a"},"to":{"endpoint":"default/b"},"port":9092,"protocol":"TCP",
                 "kafka":{"apiKey":"produce","apiVersion":3,"clientId":"x","topics":["t1"]}}"""));

        Check dns = new Check(new Target("default/a", null), new Target("kube-system/dns", null), 53, "UDP", null, null,
                new DnsCheck("cilium.io"), "ALLOWED");
        assertThat(Requests.verdict(dns)).isEqualTo(json("""
                {"from":{"endpoint":"default/a"},"to":{"endpoint":"kube-system/dns"},"port":53,"protocol":"UDP",
                 "dns":{"qname":"cilium.io"}}"""));

        Check bad = new Check(new Target("default/a", "127.0.0.1"), new Target("default/b", null), 1, "TCP", null, null, null, "ALLOWED");
        assertThatThrownBy(() -> Requests.verdict(bad)).hasMessageContaining("exactly one of endpoint or ip");
    }

    @Test
    void endpointAndObservationBodies() throws Exception {
        CaseEndpoint e = new CaseEndpoint("client", null, Map.of("app", "client"), null, null, List.of("127.10.0.2"),
                Map.of("http", 8080));
        assertThat(Requests.endpoint(e)).isEqualTo(json("""
                {"name":"client","namespace":"default","labels":{"app":"client"},"namespaceLabels":{},
                 "serviceAccount":"default","ips":["127.10.0.2"],"namedPorts":{"http":8080}}"""));
        assertThat(Requests.observation(new Observation("default/client", "cilium.io", List.of("127.200.0.10"), 300)))
                .isEqualTo(json("{\"endpoint\":\"default/client\",\"name\":\"cilium.io\",\"ips\":[\"127.200.0.10\"],\"ttl\":300}"));
    }

    // ---- comparisons --------------------------------------------------------------------------------

    @Test
    void verdictComparison() throws Exception {
        assertThat(CaseRunner.verdictMismatch("ALLOWED", json("{\"verdict\":\"ALLOWED\"}"))).isNull();
        assertThat(CaseRunner.verdictMismatch("ALLOWED",
                json("{\"verdict\":\"DENIED\",\"reason\":\"default deny\",\"policies\":[\"default/p\"]}")))
                .isEqualTo("got DENIED: default deny (policies: [\"default/p\"])");
        assertThat(CaseRunner.verdictMismatch("DENIED", json("{}"))).isEqualTo("got no verdict");
    }

    @Test
    void rejectComparison() throws Exception {
        JsonNode status = json("{\"details\":{\"causes\":[{\"field\":\"spec.ingress[0].toPorts[0].rules.http[0].path\"},{\"field\":\"x\"}]}}");
        assertThat(CaseRunner.rejectMismatch("rules.http[0].path", 422, status, "")).isNull();
        assertThat(CaseRunner.rejectMismatch("spec.egress", 422, status, ""))
                .isEqualTo("422 without a cause at spec.egress; causes: [spec.ingress[0].toPorts[0].rules.http[0].path, x]");
        assertThat(CaseRunner.rejectMismatch("spec", 400, null, "HTTP 400: bad yaml"))
                .isEqualTo("expected 422 at spec, got HTTP 400: bad yaml");
    }

    // ---- accounting ---------------------------------------------------------------------------------

    @Test
    void resultsCountAndSummarize() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Results r = new Results(new PrintStream(buf, true, StandardCharsets.UTF_8));
        r.begin("empty");
        r.pass("a", "step 1 | check 1: x");
        r.fail("a", "step 1 | check 2: y", "got DENIED:\n  multi\n  line");
        r.pass("b", "reject 1: p at f");
        assertThat(r.count("a")).isEqualTo(new Results.Count(1, 1));
        assertThat(r.total()).isEqualTo(new Results.Count(2, 1));
        assertThat(r.allPassed()).isFalse();
        assertThat(r.summary()).containsExactly("empty: 0 passed, 0 failed", "a: 1 passed, 1 failed", "b: 1 passed, 0 failed",
                "conformance: 2 passed, 1 failed");
        assertThat(buf.toString(StandardCharsets.UTF_8).lines()).containsExactly("PASS a | step 1 | check 1: x",
                "FAIL a | step 1 | check 2: y | got DENIED: multi line", "PASS b | reject 1: p at f");
        Results none = new Results(new PrintStream(new ByteArrayOutputStream()));
        assertThat(none.allPassed()).isTrue();
        assertThat(none.summary()).containsExactly("conformance: 0 passed, 0 failed");
    }

    // ---- the shared cases load and map to requests -----------------------------------------------------

    @Test
    void everySharedCaseMapsToRequests() throws Exception {
        var loaded = ConformanceRunner.load(List.of(ConformanceCases.sharedCasesDir()));
        assertThat(loaded).isNotEmpty().allSatisfy(l -> assertThat(l.error()).isNull());
        for (var l : loaded) {
            for (Step s : l.c().allSteps()) {
                s.checksOrEmpty().forEach(Requests::verdict);
                if (s.delete() != null) {
                    s.delete().forEach(PolicyRef::parse);
                }
                if (s.apply() != null) {
                    assertThat(Requests.policyRefs(s.apply())).as("%s", l.name()).isNotEmpty();
                }
            }
            l.c().endpointsOrEmpty().forEach(e -> Requests.endpointPath(e.key()));
        }
    }
}
