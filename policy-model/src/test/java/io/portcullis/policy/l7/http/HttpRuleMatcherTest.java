package io.portcullis.policy.l7.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.api.HeaderMatch;
import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.api.Secret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link HttpRuleMatcher} and {@link HttpRules} against the translation in Cilium's
 * {@code pkg/envoy/policy/envoy_l7_rules_translator.go} ({@code getHTTPRule}) and cilium-envoy's
 * {@code HttpNetworkPolicyRule}/{@code HeaderMatch::allowed} (CILIUM-SEMANTICS §3.2). Cilium has no
 * table test with request verdicts for these, so the rows state the documented behaviour.
 */
class HttpRuleMatcherTest {

    @ParameterizedTest(name = "path {0} vs {1} -> {2}")
    @CsvSource({
        "/a,          /a,        true",
        "/a,          /a?x=1,    false",
        "/a.*,        /a?x=1,    true",
        "'/a\\?x=1',  /a?x=1,    true",
        "/public,     /public/x, false",
        "/public.*,   /public/x, true",
        "/v[0-9]+/.*, /v12/y,    true",
        "/v[0-9]+/.*, /vx/y,     false"})
    void pathIsAFullStringRegexIncludingTheQuery(String regex, String path, boolean expected) {
        assertThat(matcher(new PortRuleHTTP(regex, null, null, null, null)).matches(HttpRequest.of("GET", path)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "method {0} vs {1} -> {2}")
    @CsvSource({"GET, GET, true", "GET, get, false", "GET|HEAD, HEAD, true", "G.*, GETX, true", "GET, GETX, false"})
    void methodIsACaseSensitiveFullRegex(String regex, String method, boolean expected) {
        assertThat(matcher(new PortRuleHTTP(null, regex, null, null, null)).matches(HttpRequest.of(method, "/")))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "host {0} vs {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
        "api\\.example\\.com, api.example.com, true",
        "api\\.example\\.com, xapi.example.com, false",
        ".*\\.example\\.com,  a.b.example.com, true",
        ".*\\.example\\.com,  example.com, false",
        "example\\.com(:80)?, example.com:80, true",
        ".*,                  -, false"})
    void hostIsAFullRegexOnAuthority(String regex, String host, boolean expected) {
        HttpRuleMatcher m = matcher(new PortRuleHTTP(null, null, regex, null, null));
        assertThat(m.matches(new HttpRequest("GET", "/", host, Map.of()))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "header rule \"{0}\" vs {1}={2} -> {3}")
    @CsvSource(nullValues = "-", delimiter = '|', value = {
        "X-Key: v|X-Key|v|true",
        "X-Key: v|x-key|v|true",              // names are case-insensitive
        "X-Key: v|X-Key|V|false",             // values are exact
        "X-Key: v|X-Key|v2|false",
        "X-Key: v|-|-|false",
        "X-Key v|X-Key|v|true",               // no colon needed
        "X-Key:: v|X-Key|v|true",             // all trailing colons trimmed
        "X-Key: a b|X-Key|a b|true",          // split on the first space only
        "X-Key:  v|X-Key|v|false",            // the value keeps the second space
        "X-Key|X-Key|anything|true",          // presence only
        "X-Key|-|-|false",
        "X-Key:v|X-Key|v|false",              // no space: presence of a header literally named X-Key:v
        "X-Key:v|X-Key:v|x|true"})
    void headerStrings(String ruleHeader, String name, String value, boolean expected) {
        HttpRuleMatcher m = matcher(new PortRuleHTTP(null, null, null, List.of(ruleHeader), null));
        HttpRequest request = name == null ? HttpRequest.of("GET", "/") : HttpRequest.of("GET", "/").withHeader(name, value);
        assertThat(m.matches(request)).isEqualTo(expected);
    }

    @Test
    void repeatedHeaderValuesAreJoinedWithCommas() {
        HttpRequest request = new HttpRequest("GET", "/", null, Map.of("X-A", List.of("1", "2")));
        assertThat(matcher(headers("X-A: 1,2")).matches(request)).isTrue();
        assertThat(matcher(headers("X-A: 1")).matches(request)).isFalse();
    }

    @Test
    void headerNamesDifferingOnlyInCaseAreOneHeader() {
        HttpRequest request = HttpRequest.of("GET", "/").withHeader("X-A", "1").withHeader("x-a", "2");
        assertThat(request.headers()).hasSize(1);
        assertThat(request.header("X-A")).contains("1,2");
    }

    @Test
    void allFieldsAreAnded() {
        HttpRuleMatcher m = matcher(new PortRuleHTTP("/p", "GET", "h", List.of("X-A: 1"), null));
        HttpRequest ok = new HttpRequest("GET", "/p", "h", Map.of("X-A", List.of("1")));
        assertThat(m.matches(ok)).isTrue();
        assertThat(m.matches(new HttpRequest("PUT", "/p", "h", Map.of("X-A", List.of("1"))))).isFalse();
        assertThat(m.matches(new HttpRequest("GET", "/q", "h", Map.of("X-A", List.of("1"))))).isFalse();
        assertThat(m.matches(new HttpRequest("GET", "/p", "g", Map.of("X-A", List.of("1"))))).isFalse();
        assertThat(m.matches(new HttpRequest("GET", "/p", "h", Map.of()))).isFalse();
    }

    @Test
    void emptyRuleMatchesEverything() {
        HttpRuleMatcher m = matcher(new PortRuleHTTP(null, null, null, null, null));
        assertThat(m.matchesEverything()).isTrue();
        assertThat(m.matches(new HttpRequest(null, null, null, null))).isTrue();
        HttpRuleMatcher blanks = matcher(new PortRuleHTTP("", "", "", List.of(), List.of()));
        assertThat(blanks.matches(HttpRequest.of("DELETE", "/x?y"))).isTrue();
    }

    @Test
    void emptyOrNullRuleListAllowsAll() {
        assertThat(HttpRules.compile(null).matches(HttpRequest.of("GET", "/"))).isTrue();
        assertThat(HttpRules.compile(List.of()).evaluate(HttpRequest.of("GET", "/")).allowed()).isTrue();
        assertThat(HttpRules.compile(List.of()).allowsAll()).isTrue();
    }

    @Test
    void ruleListIsAnOrAndReportsTheFirstMatch() {
        HttpRules rules = HttpRules.compile(List.of(
                new PortRuleHTTP("/a", null, null, null, null), new PortRuleHTTP(".*", "GET", null, null, null)));
        assertThat(rules.evaluate(HttpRequest.of("GET", "/a")).matchingRules()).containsExactly(0);
        assertThat(rules.evaluate(HttpRequest.of("GET", "/b")).matchingRules()).containsExactly(1);
        assertThat(rules.evaluate(HttpRequest.of("PUT", "/b")).allowed()).isFalse();
        assertThat(rules.allowsAll()).isFalse();
    }

    @Test
    void invalidRegexIsRejectedAtCompileTime() {
        assertThatThrownBy(() -> matcher(new PortRuleHTTP("/a(", null, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // headerMatches

    @ParameterizedTest(name = "headerMatches value={0} request={1} -> {2}")
    @CsvSource(nullValues = "-", value = {"v, v, true", "v, w, false", "v, -, false", "-, anything, true", "-, -, false"})
    void headerMatchWithoutActionFailsTheRule(String value, String requestValue, boolean expected) {
        HttpRuleMatcher m = matcher(headerMatches(new HeaderMatch("X-Token", value, null, null)));
        HttpRequest request = requestValue == null ? HttpRequest.of("GET", "/") : HttpRequest.of("GET", "/").withHeader("x-token", requestValue);
        assertThat(m.evaluate(request).matched()).isEqualTo(expected);
        assertThat(m.evaluate(request).mismatches()).isEmpty();
    }

    @Test
    void logMismatchStillMatchesAndIsReported() {
        HttpRuleMatcher m = matcher(headerMatches(new HeaderMatch("X-Token", "v", null, "LOG")));
        HttpMatch result = m.evaluate(HttpRequest.of("GET", "/").withHeader("X-Token", "w"));
        assertThat(result.matched()).isTrue();
        assertThat(result.mismatches()).containsExactly(new HeaderMismatch("X-Token", MismatchAction.LOG, "v", "w"));
        assertThat(result.mismatches().get(0).editsRequest()).isFalse();
        assertThat(m.evaluate(HttpRequest.of("GET", "/").withHeader("X-Token", "v")).mismatches()).isEmpty();
    }

    @ParameterizedTest(name = "{0} with request value {1}")
    @CsvSource(nullValues = "-", value = {"ADD, w, w", "ADD, -, -", "REPLACE, w, w", "REPLACE, -, -", "DELETE, w, w"})
    void editActionsMatchAndReportTheEdit(String action, String requestValue, String reportedActual) {
        HttpRuleMatcher m = matcher(headerMatches(new HeaderMatch("X-Token", "v", null, action)));
        HttpRequest request = requestValue == null ? HttpRequest.of("GET", "/") : HttpRequest.of("GET", "/").withHeader("X-Token", requestValue);
        HttpMatch result = m.evaluate(request);
        assertThat(result.matched()).isTrue();
        assertThat(result.mismatches())
                .containsExactly(new HeaderMismatch("X-Token", MismatchAction.valueOf(action), "v", reportedActual));
        assertThat(result.mismatches().get(0).editsRequest()).isTrue();
    }

    @Test
    void deleteHasNothingToDoForAnAbsentHeaderOrAPresenceCheck() {
        assertThat(matcher(headerMatches(new HeaderMatch("X-T", "v", null, "DELETE"))).evaluate(HttpRequest.of("GET", "/")))
                .isEqualTo(new HttpMatch(true, List.of()));
        assertThat(matcher(headerMatches(new HeaderMatch("X-T", null, null, "DELETE"))).evaluate(HttpRequest.of("GET", "/")))
                .isEqualTo(new HttpMatch(true, List.of()));
    }

    @Test
    void actionsDoNotRescueTheRuleWhenOtherConditionsFail() {
        HttpRuleMatcher m = matcher(new PortRuleHTTP("/only", null, null, null, List.of(new HeaderMatch("X-T", "v", null, "ADD"))));
        assertThat(m.evaluate(HttpRequest.of("GET", "/other"))).isEqualTo(new HttpMatch(false, List.of()));
    }

    @Test
    void secretWithoutValueNeverMatches() {
        Secret secret = new Secret("default", "token");
        for (String action : new String[] {null, "LOG", "ADD", "REPLACE", "DELETE"}) {
            HttpRuleMatcher m = matcher(headerMatches(new HeaderMatch("X-Token", null, secret, action)));
            assertThat(m.matches(HttpRequest.of("GET", "/").withHeader("X-Token", "anything"))).as("%s", action).isFalse();
        }
    }

    @Test
    void secretWithValueFallsBackToTheValue() {
        HttpRuleMatcher m = matcher(headerMatches(new HeaderMatch("X-Token", "v", new Secret("default", "token"), null)));
        assertThat(m.matches(HttpRequest.of("GET", "/").withHeader("X-Token", "v"))).isTrue();
        assertThat(m.matches(HttpRequest.of("GET", "/").withHeader("X-Token", "w"))).isFalse();
    }

    @Test
    void allMatchingRulesReportMismatchesWhenAnyRuleHasActions() {
        HttpRules rules = HttpRules.compile(List.of(
                new PortRuleHTTP("/a.*", null, null, null, List.of(new HeaderMatch("X-A", "1", null, "ADD"))),
                new PortRuleHTTP("/ab", null, null, null, List.of(new HeaderMatch("X-B", "2", null, "REPLACE"))),
                new PortRuleHTTP("/zzz", null, null, null, null)));
        HttpVerdict v = rules.evaluate(HttpRequest.of("GET", "/ab"));
        assertThat(v.allowed()).isTrue();
        assertThat(v.matchingRules()).containsExactly(0, 1);
        assertThat(v.mismatches()).extracting(HeaderMismatch::name).containsExactly("X-A", "X-B");
    }

    @Test
    void unknownMismatchSpellingIsFail() {
        assertThat(MismatchAction.parse("log")).isEqualTo(MismatchAction.FAIL);
        assertThat(MismatchAction.parse("")).isEqualTo(MismatchAction.FAIL);
        assertThat(MismatchAction.parse("REPLACE")).isEqualTo(MismatchAction.REPLACE);
    }

    private static HttpRuleMatcher matcher(PortRuleHTTP rule) {
        return HttpRuleMatcher.compile(rule);
    }

    private static PortRuleHTTP headers(String... headers) {
        return new PortRuleHTTP(null, null, null, List.of(headers), null);
    }

    private static PortRuleHTTP headerMatches(HeaderMatch... matches) {
        return new PortRuleHTTP(null, null, null, null, List.of(matches));
    }
}
