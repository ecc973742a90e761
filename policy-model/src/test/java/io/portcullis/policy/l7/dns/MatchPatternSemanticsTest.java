package io.portcullis.policy.l7.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.FQDNSelector;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code matchPattern} example table and quirks of CILIUM-SEMANTICS §4.1 (drawn from Cilium's
 * {@code matchpattern_test.go @main} and the {@code FQDNSelector} docs), evaluated through {@link
 * DnsNameMatcher} the way the DNS proxy does: sanitised pattern, normalised query name.
 */
class MatchPatternSemanticsTest {

    record Row(String pattern, List<String> accepts, List<String> rejects) {}

    static Stream<Row> table() {
        return Stream.of(
                new Row("cilium.io.", List.of("cilium.io."), List.of("anysub.cilium.io.")),
                new Row("*.cilium.io.", List.of("anysub.cilium.io."),
                        List.of("cilium.io.", "anysub.ci.io.", "sub.sub.cilium.io.")),
                new Row("*.ci*.io.", List.of("anysub.cilium.io.", "anysub.ci.io.", "anysub.ciliumandmore.io."),
                        List.of("cilium.io.")),
                new Row("*", List.of(".", "io.", "cilium.io.", "_foobar._tcp.cilium.io."), List.of()),
                new Row("**.cilium.io.", List.of("test.cilium.io.", "test.app.new.cilium.io."), List.of("cilium.io.")),
                new Row("**.*.cilium.io.", List.of("_foo._bar._tcp.cilium.io."), List.of("foo.cilium.io.")),
                new Row("test.**.cilium.io.", List.of("test.x.cilium.io."), List.of("test.x.y.cilium.io.", "test.cilium.io.")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void exampleTable(Row row) {
        DnsNameMatcher m = DnsNameMatcher.anyOf(List.of(new FQDNSelector(null, row.pattern())));
        row.accepts().forEach(n -> assertThat(m.matches(n)).as("%s accepts %s", row.pattern(), n).isTrue());
        row.rejects().forEach(n -> assertThat(m.matches(n)).as("%s rejects %s", row.pattern(), n).isFalse());
    }

    @Test
    void matchAllRegexRejectsMalformedNames() {
        // "" and "cilium.io" without the final dot are rejected by the regex; callers normalise first.
        var re = com.google.re2j.Pattern.compile(MatchPattern.toRegex("*"));
        assertThat(List.of("", ".io.", ".cilium.io.", "cilium.io")).noneMatch(re::matches);
    }

    @Test
    void onlyTheLeadingDoubleStarIsSpecial() {
        assertThat(MatchPattern.toRegex("test.**.cilium.io.")).isEqualTo(MatchPattern.toRegex("test.*.cilium.io."));
    }

    @Test
    void starMatchesZeroCharactersSoDotCiliumIsAccepted() {
        DnsNameMatcher m = pattern("*.cilium.io");
        assertThat(m.matches(".cilium.io.")).isTrue();
        assertThat(m.matches(".cilium.io")).isTrue();
    }

    @Test
    void leadingStarWithoutDotIsNotASubdomainWildcard() {
        DnsNameMatcher m = pattern("*cilium.io");
        assertThat(m.matches("cilium.io")).isTrue();
        assertThat(m.matches("subcilium.io")).isTrue();
        assertThat(m.matches("www.cilium.io")).isFalse();
    }

    @Test
    void allStarPatternsAreMatchAll() {
        for (String p : List.of("*", "**", "***", "*.", "**.", "***.")) {
            assertThat(MatchPattern.isMatchAll(p)).as(p).isTrue();
            assertThat(MatchPattern.toRegex(p)).as(p).isEqualTo(MatchPattern.MATCH_ALL);
        }
        for (String p : List.of("", ".", "*.*", "**.io", "a*")) {
            assertThat(MatchPattern.isMatchAll(p)).as(p).isFalse();
        }
    }

    private static DnsNameMatcher pattern(String p) {
        return DnsNameMatcher.anyOf(List.of(new FQDNSelector(null, p)));
    }
}
