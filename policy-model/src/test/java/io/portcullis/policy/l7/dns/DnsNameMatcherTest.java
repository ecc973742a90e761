package io.portcullis.policy.l7.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.api.FQDNSelector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link DnsNameMatcher} and {@link DnsNames}: Cilium's {@code dns.FQDN} normalisation, the DNS proxy's
 * {@code CheckAllowed}/{@code GeneratePattern} (lower-cased FQDN qname, OR of rules, empty and
 * match-all rules allow all) and the name checks of conformance case {@code seed-tofqdn-dns-visibility}.
 */
class DnsNameMatcherTest {

    // rules.dns of seed-tofqdn-dns-visibility.yaml
    private static final DnsNameMatcher SEED_DNS_RULES = DnsNameMatcher.forDnsRules(List.of(
            name("cilium.io"), pattern("*.cilium.io"), pattern("*.api.cilium.io")));

    // toFQDNs of seed-tofqdn-dns-visibility.yaml
    private static final DnsNameMatcher SEED_TO_FQDNS = DnsNameMatcher.anyOf(List.of(
            name("cilium.io"), name("sub.cilium.io"), name("service1.api.cilium.io"),
            pattern("special*service.api.cilium.io")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "cilium.io|cilium.io.", "cilium.io.|cilium.io.", "CILIUM.IO.|cilium.io.", "Sub.Cilium.Io|sub.cilium.io.",
        "''|.", ".|.", "a\\.|a\\..", "a\\\\.|a\\\\."})
    void normalize(String name, String expected) {
        assertThat(DnsNames.normalize(name)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "cilium.io, ALLOWED", "anothersub.cilium.io, ALLOWED", "sub.cilium.io, ALLOWED", "x.api.cilium.io, ALLOWED",
        "CILIUM.IO., ALLOWED", "a.b.cilium.io, DENIED", "example.com, DENIED"})
    void seedDnsRuleChecks(String qname, String expect) {
        assertThat(SEED_DNS_RULES.matches(qname)).isEqualTo(expect.equals("ALLOWED"));
    }

    @ParameterizedTest(name = "{0} selected={1}")
    @CsvSource({
        "cilium.io, true", "sub.cilium.io, true", "anothersub.cilium.io, false",
        "special-region1-service.api.cilium.io, true", "region1-service.api.cilium.io, false",
        "service1.api.cilium.io, true", "specialservice.api.cilium.io, true", "special.x.service.api.cilium.io, false"})
    void seedToFqdnsSelection(String observedName, boolean selected) {
        assertThat(SEED_TO_FQDNS.matches(observedName)).isEqualTo(selected);
    }

    @Test
    void matchNameIsALiteralAndCaseInsensitive() {
        DnsNameMatcher m = DnsNameMatcher.anyOf(List.of(name("Cilium.IO")));
        assertThat(m.regexes()).containsExactly("^cilium[.]io[.]$");
        assertThat(List.of("cilium.io", "cilium.io.", "CILIUM.IO", "CiLiUm.Io.")).allMatch(m::matches);
        assertThat(List.of("ciliumxio.", "sub.cilium.io", "cilium.io.x", "")).noneMatch(m::matches);
    }

    @Test
    void unvalidatedMetacharactersAreLiterals() {
        assertThat(DnsNameMatcher.anyOf(List.of(name("a+b.io"))).matches("aab.io")).isFalse();
        assertThat(DnsNameMatcher.anyOf(List.of(name("a+b.io"))).matches("a+b.io")).isTrue();
        assertThat(DnsNameMatcher.anyOf(List.of(pattern("[a-z]*.io"))).matches("x.io")).isFalse();
    }

    @Test
    void dnsRulesNullOrEmptyAllowEveryName() {
        assertThat(DnsNameMatcher.forDnsRules(null).matchesAll()).isTrue();
        assertThat(DnsNameMatcher.forDnsRules(List.of()).matches("anything.example.")).isTrue();
    }

    @Test
    void dnsRulesWithAMatchAllPatternShortCircuit() {
        DnsNameMatcher m = DnsNameMatcher.forDnsRules(List.of(name("cilium.io"), pattern("**.")));
        assertThat(m.matchesAll()).isTrue();
        assertThat(m.matches("")).isTrue(); // GeneratePattern's "(?:)" matches even malformed names
        assertThat(m.matches("a..b")).isTrue();
    }

    @Test
    void selectorsMatchAllKeepsTheWellFormedRegex() {
        DnsNameMatcher m = DnsNameMatcher.anyOf(List.of(pattern("*")));
        assertThat(m.matchesAll()).isFalse();
        assertThat(m.matches("example.com")).isTrue();
        assertThat(m.matches("a..b")).isFalse();
    }

    @Test
    void emptySelectorListMatchesNothing() {
        assertThat(DnsNameMatcher.anyOf(List.of()).matches("cilium.io")).isFalse();
        assertThat(DnsNameMatcher.anyOf(null).matches("cilium.io")).isFalse();
    }

    @Test
    void nullQueryNameIsNeverMatchedByARestrictingMatcher() {
        assertThat(SEED_DNS_RULES.matches(null)).isFalse();
    }

    @Test
    void equivalentSelectorsCompileToOneSharedPattern() {
        DnsNameMatcher m = DnsNameMatcher.anyOf(List.of(pattern("*.Cilium.io"), pattern("*.cilium.io."), name("x.io")));
        assertThat(m.regexes()).hasSize(2);
    }

    @Test
    void selectorWithoutNameOrPatternIsRejected() {
        assertThatThrownBy(() -> DnsNameMatcher.anyOf(List.of(new FQDNSelector(null, ""))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static FQDNSelector name(String n) {
        return new FQDNSelector(n, null);
    }

    private static FQDNSelector pattern(String p) {
        return new FQDNSelector(null, p);
    }
}
