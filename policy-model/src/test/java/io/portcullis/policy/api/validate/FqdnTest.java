package io.portcullis.policy.api.validate;

import static io.portcullis.policy.api.validate.ValidationRow.accept;
import static io.portcullis.policy.api.validate.ValidationRow.cnp;
import static io.portcullis.policy.api.validate.ValidationRow.reject;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows from Cilium's {@code pkg/policy/api/fqdn_test.go} (TestFQDNSelectorSanitize) plus the CRD's
 * {@code oneOf} and {@code maxLength} on {@code toFQDNs[]} and {@code rules.dns[]}.
 */
class FqdnTest {

    static Stream<ValidationRow> rows() {
        return Stream.of(
                accept("matchPattern *._cilium.io", toFqdns("{matchPattern: \"*._cilium.io\"}")),
                accept("matchName _cilium.io", toFqdns("{matchName: _cilium.io}")),
                accept("matchName with final dot", toFqdns("{matchName: cilium.io.}")),
                accept("matchPattern *", toFqdns("{matchPattern: \"*\"}")),
                accept("matchPattern **.cilium.io", toFqdns("{matchPattern: \"**.cilium.io\"}")),
                reject("regex class in matchPattern", toFqdns("{matchPattern: \"[a-z]*.cilium.io.\"}"),
                        "toFQDNs[0].matchPattern", "Invalid characters in MatchPattern"),
                reject("regex repetition in matchPattern", toFqdns("{matchPattern: \"a{1,2}.cilium.io.\"}"),
                        "toFQDNs[0].matchPattern", "Invalid characters in MatchPattern"),
                reject("star in matchName", toFqdns("{matchName: \"*.cilium.io\"}"),
                        "toFQDNs[0].matchName", "Invalid characters in MatchName"),
                reject("both set", toFqdns("{matchName: cilium.io, matchPattern: \"*.cilium.io\"}"),
                        "toFQDNs[0]", "only one of MatchName or MatchPattern is allowed in an FQDNSelector"),
                reject("neither set", toFqdns("{}"), "toFQDNs[0]", "one of matchName or matchPattern is required"),
                reject("leading dot", toFqdns("{matchName: .cilium.io}"), "toFQDNs[0].matchName", "empty labels"),
                reject("longer than 255", toFqdns("{matchName: " + "a".repeat(256) + "}"),
                        "toFQDNs[0].matchName", "no more than 255"),
                reject("DNS rule with a bad pattern", cnp("""
                        endpointSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "a{1,2}.io"}]}}]
                        """), "rules.dns[0].matchPattern", "Invalid characters in MatchPattern"));
    }

    private static String toFqdns(String selector) {
        return cnp("endpointSelector: {}\negress: [{toFQDNs: [" + selector + "]}]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void fqdnSelector(ValidationRow row) {
        row.check();
    }
}
