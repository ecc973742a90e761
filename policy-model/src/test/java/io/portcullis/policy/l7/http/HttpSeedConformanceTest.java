package io.portcullis.policy.l7.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.PortRuleHTTP;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP checks of conformance cases {@code seed-l7-rule.yaml} and {@code seed-rule1-http.yaml}
 * (shared/conformance/cases), evaluated against their {@code rules.http} lists transcribed by hand.
 * Only checks the L7 verdict decides are here; checks decided at L3/L4 (other port, protocol or peer)
 * belong to the policy engine.
 */
class HttpSeedConformanceTest {

    // seed-l7-rule.yaml, ingress toPorts 80/TCP rules.http
    private static final HttpRules L7_RULE = HttpRules.compile(List.of(
            rule("GET", "/v1/path1", List.of()),
            rule("PUT", "/v2/path2.*", List.of()),
            rule("POST", ".*/path3", List.of("X-My-Header: true"))));

    // seed-rule1-http.yaml, ingress toPorts 80/TCP rules.http
    private static final HttpRules RULE1 = HttpRules.compile(List.of(rule("GET", "/public", List.of())));

    @ParameterizedTest(name = "{0} {1} X-My-Header={2} -> {3}")
    @CsvSource(nullValues = "-", value = {
        "GET,  /v1/path1,             -,     ALLOWED",
        "GET,  /v1/path1/more,        -,     DENIED",
        "GET,  /v1/path10,            -,     DENIED",
        "POST, /v1/path1,             -,     DENIED",
        "PUT,  /v2/path2,             -,     ALLOWED",
        "PUT,  /v2/path2/deeper/still, -,    ALLOWED",
        "GET,  /v2/path2,             -,     DENIED",
        "POST, /any/path3,            true,  ALLOWED",
        "POST, /path3,                true,  ALLOWED",
        "POST, /any/path3,            -,     DENIED",
        "POST, /any/path3,            false, DENIED",
        "POST, /any/path3/x,          true,  DENIED",
        "get,  /v1/path1,             -,     DENIED"})
    void seedL7Rule(String method, String path, String myHeader, String expect) {
        Map<String, List<String>> headers = myHeader == null ? Map.of() : Map.of("X-My-Header", List.of(myHeader));
        HttpRequest request = new HttpRequest(method, path, null, headers);
        assertThat(L7_RULE.matches(request)).isEqualTo(expect.equals("ALLOWED"));
        assertThat(L7_RULE.evaluate(request).allowed()).isEqualTo(expect.equals("ALLOWED"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({"GET, /public, ALLOWED", "GET, /public/x, DENIED", "POST, /public, DENIED"})
    void seedRule1Http(String method, String path, String expect) {
        assertThat(RULE1.matches(HttpRequest.of(method, path))).isEqualTo(expect.equals("ALLOWED"));
    }

    private static PortRuleHTTP rule(String method, String path, List<String> headers) {
        return new PortRuleHTTP(path, method, null, headers, null);
    }
}
