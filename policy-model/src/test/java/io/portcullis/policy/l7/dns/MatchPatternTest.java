package io.portcullis.policy.l7.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Port of Cilium {@code pkg/fqdn/matchpattern/matchpattern_test.go}: {@code TestAnchoredMatchPatternREConversion},
 * {@code TestAnchoredMatchPatternMatching} and {@code TestMatchPatternSanitize}, as in the stored
 * {@code cilium/cilium} copy (076bbeb3). The {@code **} rows come from a later revision of that file;
 * only its rows with a <em>leading</em> {@code **.} are kept, because that revision also expanded
 * {@code **} in other positions, which the 1.19+ code (CILIUM-SEMANTICS §4.1) does not do. Its regex
 * strings for {@code **.} differ in form from the merged code, so the regex rows assert the merged
 * form ({@code ([-a-zA-Z0-9_]+([.][-a-zA-Z0-9_]+){0,})[.]}).
 */
class MatchPatternTest {

    private static final String G = "[-a-zA-Z0-9_]";

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource
    void anchoredRegex(String pattern, String expected) {
        String regex = MatchPattern.toRegex(pattern);
        assertThat(regex).isEqualTo(expected);
        Pattern.compile(regex); // valid RE2
    }

    static Stream<Arguments> anchoredRegex() {
        return Stream.of(
                Arguments.of("cilium.io.", "^cilium[.]io[.]$"),
                Arguments.of("*.cilium.io.", "^" + G + "*[.]cilium[.]io[.]$"),
                Arguments.of("*", "(^(" + G + "+[.])+$)|(^[.]$)"),
                Arguments.of(".", "^[.]$"),
                Arguments.of("**", "(^(" + G + "+[.])+$)|(^[.]$)"),
                // 1.19+ merged form of the leading subdomain wildcard
                Arguments.of("**.cilium.io.", "^(" + G + "+([.]" + G + "+){0,})[.]cilium[.]io[.]$"),
                Arguments.of("***.cilium.io.", "^(" + G + "+([.]" + G + "+){0,})[.]cilium[.]io[.]$"),
                // only the leading run is special; others are single-label runs
                Arguments.of("_sub.**.io.", "^_sub[.]" + G + "*[.]io[.]$"),
                Arguments.of("**.cilium.**.io", "^(" + G + "+([.]" + G + "+){0,})[.]cilium[.]" + G + "*[.]io$"),
                Arguments.of("**cilium.io", "^" + G + "*cilium[.]io$"),
                // case and surrounding blanks do not matter
                Arguments.of(" *.Cilium.IO. ", "^" + G + "*[.]cilium[.]io[.]$"));
    }

    record Case(String pattern, List<String> accept, List<String> reject) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void anchoredMatching(Case c) {
        Pattern re = Pattern.compile(MatchPattern.toRegex(c.pattern()));
        for (String name : c.accept()) {
            assertThat(re.matches(name)).as("%s accepts %s", c.pattern(), name).isTrue();
        }
        for (String name : c.reject()) {
            assertThat(re.matches(name)).as("%s rejects %s", c.pattern(), name).isFalse();
        }
    }

    static Stream<Case> anchoredMatching() {
        return Stream.of(
                new Case("cilium.io.", List.of("cilium.io."),
                        List.of("", "anysub.cilium.io.", "anysub.ci.io.", "anysub.ciliumandmore.io.")),
                new Case("*.cilium.io.", List.of("anysub.cilium.io."),
                        List.of("", "cilium.io.", "anysub.ci.io.", "anysub.ciliumandmore.io.")),
                new Case("*.ci*.io.", List.of("anysub.cilium.io.", "anysub.ci.io.", "anysub.ciliumandmore.io."),
                        List.of("", "ci.io", "cilium.io.", "service.namesace.svc.cluster.local.")),
                new Case("*",
                        List.of(".", "io.", "cilium.io.", "svc.cluster.local.", "service.namesace.svc.cluster.local.",
                                "_foobar._tcp.cilium.io."),
                        List.of("", ".io.", ".cilium.io.", ".svc.cluster.local.", "cilium.io")),
                new Case(".", List.of("."), List.of("", ".io.", ".cilium.io")),
                new Case("_foobar._tcp.cilium.io.", List.of("_foobar._tcp.cilium.io."),
                        List.of("", "_tcp.cilium.io.", "cilium.io.")),
                new Case("*.*.cilium.io.", List.of("_foobar._tcp.cilium.io."), List.of("")),
                // leading ** rows of the later revision
                new Case("**.cilium.io.",
                        List.of("anysub.cilium.io.", "_foobar._tcp.cilium.io.", "sub11.sub22.sub33._foobar._tcp.cilium.io."),
                        List.of("", "cilium.io.", "anysub.ci.io.", "anysub.ciliumandmore.io.", "sub.cilium.io",
                                "1._foobar_tcp.cilium.trio.")),
                new Case("**.ci*.io.",
                        List.of("anysub.cilium.io.", "anysub.ci.io.", "1.anysub.ciliumandmore.io.",
                                "service.namesace.svc.ciuster.io."),
                        List.of("", "cilium.io.", "service.namesace.svc..ciblaster.io.")),
                new Case("**.*.io.",
                        List.of("anysub.cilium.io.", "anysub.ci.io.", "anysub.ciliumandmore.io.",
                                "service.namesace.svc.ciuster.io."),
                        List.of("", "io.", "..cilium.io.", "cilium.io.", "service..namesace.svc.cluster.io.")),
                new Case("**",
                        List.of(".", "io.", "cilium.io.", "svc.cluster.local.", "service.namesace.svc.cluster.local.",
                                "_foobar._tcp.cilium.io."),
                        List.of("", "..io.", "..cilium.io.", ".svc.cluster..local.", "cilium..io")),
                new Case("**.",
                        List.of("io.", "cilium.io.", "svc.cluster.local.", "service.namesace.svc.cluster.local.",
                                "_foobar._tcp.cilium.io."),
                        List.of("", ".cilium.io.", "..cilium.io.", ".svc.cluster..local.", "cilium.io")),
                // non-leading ** is a single-label wildcard in the merged code (the draft accepted these)
                new Case("1.**.cilium.io.", List.of("1._foobar.cilium.io."),
                        List.of("1.2._foobar._tcp.cilium.io.", "1._foobar._tcp.cilium.io.")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"*, *", "*., *.", "*.com, *.com.", "**, **", "***., ***.", "Cilium.IO, cilium.io."})
    void sanitize(String pattern, String expected) {
        assertThat(MatchPattern.sanitize(pattern)).isEqualTo(expected);
    }
}
