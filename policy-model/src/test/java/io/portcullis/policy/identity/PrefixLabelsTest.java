package io.portcullis.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.labels.CidrLabels;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows from Cilium {@code pkg/labels/cidr_test.go} {@code TestGetCIDRLabels} and
 * {@code TestCIDRLabelsCache} (v1.15, when a CIDR identity carried the labels of every enclosing prefix),
 * plus the FQDN-IP labels of CILIUM-SEMANTICS §4.6.
 */
class PrefixLabelsTest {

    private static final String V4_192_0_2_3 = """
            cidr:0.0.0.0/0
            cidr:128.0.0.0/1 cidr:192.0.0.0/2 cidr:192.0.0.0/3 cidr:192.0.0.0/4
            cidr:192.0.0.0/5 cidr:192.0.0.0/6 cidr:192.0.0.0/7 cidr:192.0.0.0/8
            cidr:192.0.0.0/9 cidr:192.0.0.0/10 cidr:192.0.0.0/11 cidr:192.0.0.0/12
            cidr:192.0.0.0/13 cidr:192.0.0.0/14 cidr:192.0.0.0/15 cidr:192.0.0.0/16
            cidr:192.0.0.0/17 cidr:192.0.0.0/18 cidr:192.0.0.0/19 cidr:192.0.0.0/20
            cidr:192.0.0.0/21 cidr:192.0.0.0/22 cidr:192.0.2.0/23 cidr:192.0.2.0/24
            """;
    private static final String V4_192_0_2_3_TAIL = """
            cidr:192.0.2.0/25 cidr:192.0.2.0/26 cidr:192.0.2.0/27 cidr:192.0.2.0/28
            cidr:192.0.2.0/29 cidr:192.0.2.0/30 cidr:192.0.2.2/31 cidr:192.0.2.3/32
            """;
    private static final String V4_10_0_0_0_16 = """
            cidr:0.0.0.0/0
            cidr:0.0.0.0/1 cidr:0.0.0.0/2 cidr:0.0.0.0/3 cidr:0.0.0.0/4
            cidr:8.0.0.0/5 cidr:8.0.0.0/6 cidr:10.0.0.0/7 cidr:10.0.0.0/8
            cidr:10.0.0.0/9 cidr:10.0.0.0/10 cidr:10.0.0.0/11 cidr:10.0.0.0/12
            cidr:10.0.0.0/13 cidr:10.0.0.0/14 cidr:10.0.0.0/15 cidr:10.0.0.0/16
            """;
    private static final String V6_2001_DB8_CAFE_112 = """
            cidr:0--0/0
            cidr:0--0/1 cidr:0--0/2 cidr:2000--0/3 cidr:2000--0/4
            cidr:2000--0/5 cidr:2000--0/6 cidr:2000--0/7 cidr:2000--0/8
            cidr:2000--0/9 cidr:2000--0/10 cidr:2000--0/11 cidr:2000--0/12
            cidr:2000--0/13 cidr:2000--0/14 cidr:2000--0/15 cidr:2001--0/16
            cidr:2001--0/17 cidr:2001--0/18 cidr:2001--0/19 cidr:2001--0/20
            cidr:2001-800--0/21 cidr:2001-c00--0/22 cidr:2001-c00--0/23 cidr:2001-d00--0/24
            cidr:2001-d80--0/25 cidr:2001-d80--0/26 cidr:2001-da0--0/27 cidr:2001-db0--0/28
            cidr:2001-db8--0/29 cidr:2001-db8--0/30 cidr:2001-db8--0/31 cidr:2001-db8--0/32
            cidr:2001-db8-8000--0/33 cidr:2001-db8-c000--0/34 cidr:2001-db8-c000--0/35 cidr:2001-db8-c000--0/36
            cidr:2001-db8-c800--0/37 cidr:2001-db8-c800--0/38 cidr:2001-db8-ca00--0/39 cidr:2001-db8-ca00--0/40
            cidr:2001-db8-ca80--0/41 cidr:2001-db8-cac0--0/42 cidr:2001-db8-cae0--0/43 cidr:2001-db8-caf0--0/44
            cidr:2001-db8-caf8--0/45 cidr:2001-db8-cafc--0/46 cidr:2001-db8-cafe--0/47 cidr:2001-db8-cafe--0/48
            cidr:2001-db8-cafe--0/49 cidr:2001-db8-cafe--0/50 cidr:2001-db8-cafe--0/51 cidr:2001-db8-cafe--0/52
            cidr:2001-db8-cafe--0/53 cidr:2001-db8-cafe--0/54 cidr:2001-db8-cafe--0/55 cidr:2001-db8-cafe--0/56
            cidr:2001-db8-cafe--0/57 cidr:2001-db8-cafe--0/58 cidr:2001-db8-cafe--0/59 cidr:2001-db8-cafe--0/60
            cidr:2001-db8-cafe--0/61 cidr:2001-db8-cafe--0/62 cidr:2001-db8-cafe--0/63 cidr:2001-db8-cafe--0/64
            cidr:2001-db8-cafe--0/65 cidr:2001-db8-cafe--0/66 cidr:2001-db8-cafe--0/67 cidr:2001-db8-cafe--0/68
            cidr:2001-db8-cafe-0-800--0/69 cidr:2001-db8-cafe-0-c00--0/70 cidr:2001-db8-cafe-0-c00--0/71 cidr:2001-db8-cafe-0-c00--0/72
            cidr:2001-db8-cafe-0-c80--0/73 cidr:2001-db8-cafe-0-c80--0/74 cidr:2001-db8-cafe-0-ca0--0/75 cidr:2001-db8-cafe-0-ca0--0/76
            cidr:2001-db8-cafe-0-ca8--0/77 cidr:2001-db8-cafe-0-ca8--0/78 cidr:2001-db8-cafe-0-caa--0/79 cidr:2001-db8-cafe-0-cab--0/80
            cidr:2001-db8-cafe-0-cab--0/81 cidr:2001-db8-cafe-0-cab--0/82 cidr:2001-db8-cafe-0-cab--0/83 cidr:2001-db8-cafe-0-cab--0/84
            cidr:2001-db8-cafe-0-cab--0/85 cidr:2001-db8-cafe-0-cab--0/86 cidr:2001-db8-cafe-0-cab--0/87 cidr:2001-db8-cafe-0-cab--0/88
            cidr:2001-db8-cafe-0-cab--0/89 cidr:2001-db8-cafe-0-cab--0/90 cidr:2001-db8-cafe-0-cab--0/91 cidr:2001-db8-cafe-0-cab--0/92
            cidr:2001-db8-cafe-0-cab--0/93 cidr:2001-db8-cafe-0-cab-4--0/94 cidr:2001-db8-cafe-0-cab-4--0/95 cidr:2001-db8-cafe-0-cab-4--0/96
            cidr:2001-db8-cafe-0-cab-4--0/97 cidr:2001-db8-cafe-0-cab-4--0/98 cidr:2001-db8-cafe-0-cab-4--0/99 cidr:2001-db8-cafe-0-cab-4--0/100
            cidr:2001-db8-cafe-0-cab-4-800-0/101 cidr:2001-db8-cafe-0-cab-4-800-0/102 cidr:2001-db8-cafe-0-cab-4-a00-0/103 cidr:2001-db8-cafe-0-cab-4-b00-0/104
            cidr:2001-db8-cafe-0-cab-4-b00-0/105 cidr:2001-db8-cafe-0-cab-4-b00-0/106 cidr:2001-db8-cafe-0-cab-4-b00-0/107 cidr:2001-db8-cafe-0-cab-4-b00-0/108
            cidr:2001-db8-cafe-0-cab-4-b08-0/109 cidr:2001-db8-cafe-0-cab-4-b08-0/110 cidr:2001-db8-cafe-0-cab-4-b0a-0/111 cidr:2001-db8-cafe-0-cab-4-b0b-0/112
            """;

    static Stream<Arguments> getCidrLabelsRows() {
        return Stream.of(
                Arguments.of("IPv4 /32", false, "192.0.2.3/32", V4_192_0_2_3 + V4_192_0_2_3_TAIL + "reserved:world"),
                Arguments.of("IPv4 /24", false, "192.0.2.0/24", V4_192_0_2_3 + "reserved:world"),
                Arguments.of("IPv4 /16", false, "10.0.0.0/16", V4_10_0_0_0_16 + "reserved:world"),
                Arguments.of("IPv4 /0", false, "0.0.0.0/0", "reserved:world"),
                Arguments.of("IPv6 /112", false, "2001:db8:cafe::cab:4:b0b:0/112", V6_2001_DB8_CAFE_112 + "reserved:world"),
                Arguments.of("IPv4 /32 dual", true, "192.0.2.3/32", V4_192_0_2_3 + V4_192_0_2_3_TAIL + "reserved:world-ipv4"),
                Arguments.of("IPv4 /24 dual", true, "192.0.2.0/24", V4_192_0_2_3 + "reserved:world-ipv4"),
                Arguments.of("IPv4 /16 dual", true, "10.0.0.0/16", V4_10_0_0_0_16 + "reserved:world-ipv4"),
                Arguments.of("IPv4 /0 dual", true, "0.0.0.0/0", "reserved:world-ipv4"),
                Arguments.of("IPv6 /112 dual", true, "2001:db8:cafe::cab:4:b0b:0/112", V6_2001_DB8_CAFE_112 + "reserved:world-ipv6"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("getCidrLabelsRows")
    void getCidrLabels(String name, boolean dualStack, String prefix, String expected) {
        Labels labels = new PrefixLabels(CidrLabels.of(dualStack)).forPrefix(prefix);

        assertThat(texts(labels)).containsExactlyInAnyOrder(expected.split("\\s+"));
    }

    @Test
    void ipv6HostPrefixHas129CidrLabels() {
        Labels labels = PrefixLabels.defaults().forPrefix("2001:DB8::1/128");

        assertThat(labels.size()).isEqualTo(130);
        assertThat(texts(labels)).contains("cidr:0--0/0", "cidr:2001-db8--0/29", "cidr:2001-db8--0/127",
                "cidr:2001-db8--1/128", "reserved:world");
    }

    /** TestCIDRLabelsCache: each prefix of 87.151.93.239/32 gets the labels of itself and its parents. */
    @Test
    void everyParentOfAHost() {
        List<String> cidrLabels = List.of(
                "cidr:0.0.0.0/0",
                "cidr:0.0.0.0/1", "cidr:64.0.0.0/2", "cidr:64.0.0.0/3", "cidr:80.0.0.0/4",
                "cidr:80.0.0.0/5", "cidr:84.0.0.0/6", "cidr:86.0.0.0/7", "cidr:87.0.0.0/8",
                "cidr:87.128.0.0/9", "cidr:87.128.0.0/10", "cidr:87.128.0.0/11", "cidr:87.144.0.0/12",
                "cidr:87.144.0.0/13", "cidr:87.148.0.0/14", "cidr:87.150.0.0/15", "cidr:87.151.0.0/16",
                "cidr:87.151.0.0/17", "cidr:87.151.64.0/18", "cidr:87.151.64.0/19", "cidr:87.151.80.0/20",
                "cidr:87.151.88.0/21", "cidr:87.151.92.0/22", "cidr:87.151.92.0/23", "cidr:87.151.93.0/24",
                "cidr:87.151.93.128/25", "cidr:87.151.93.192/26", "cidr:87.151.93.224/27", "cidr:87.151.93.224/28",
                "cidr:87.151.93.232/29", "cidr:87.151.93.236/30", "cidr:87.151.93.238/31", "cidr:87.151.93.239/32");
        for (int bits = 32; bits >= 1; bits--) {
            List<String> expected = new ArrayList<>(cidrLabels.subList(0, bits + 1));
            expected.add("reserved:world");
            String prefix = cidrLabels.get(bits).substring("cidr:".length());

            assertThat(texts(PrefixLabels.defaults().forPrefix(prefix))).as(prefix)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(texts(PrefixLabels.defaults().forPrefix("0.0.0.0/0"))).containsExactly("reserved:world");
    }

    @Test
    void fqdnIpLabels() {
        Labels labels = PrefixLabels.defaults().forFqdnIp("127.200.0.10", List.of("cilium.io", "*.cilium.io"));

        assertThat(texts(labels)).containsExactlyInAnyOrder(
                "fqdn:cilium.io", "fqdn:*.cilium.io", "cidr:127.200.0.10/32", "reserved:world");
        assertThat(texts(new PrefixLabels(CidrLabels.of(true)).forFqdnIp("2001:db8::5", List.of("api.example.com"))))
                .containsExactlyInAnyOrder("fqdn:api.example.com", "cidr:2001-db8--5/128", "reserved:world-ipv6");
    }

    @Test
    void cidrSelectorsMatchFqdnAndCidrIdentitiesCidrAware() {
        Label selector = CidrLabels.label("127.200.0.0/16");

        assertThat(PrefixLabels.defaults().forFqdnIp("127.200.0.10", List.of("cilium.io")).asList())
                .anyMatch(l -> CidrLabels.contains(selector, l));
        assertThat(PrefixLabels.defaults().forPrefix("127.0.0.0/8").asList())
                .noneMatch(l -> CidrLabels.contains(selector, l));
    }

    private static List<String> texts(Labels labels) {
        return labels.asList().stream().map(Label::toString).toList();
    }
}
