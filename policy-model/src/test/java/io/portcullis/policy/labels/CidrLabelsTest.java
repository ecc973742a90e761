package io.portcullis.policy.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rows from Cilium {@code pkg/labels/cidr_test.go} ({@code TestIPStringToLabel}, the world labels of
 * {@code TestGetCIDRLabels}) and the CIDR-aware key match of {@code Label.HasKey} (CILIUM-SEMANTICS §2.1).
 */
class CidrLabelsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "0.0.0.0/0,       cidr:0.0.0.0/0",
        "192.0.2.3,       cidr:192.0.2.3/32",
        "192.0.2.3/32,    cidr:192.0.2.3/32",
        "192.0.2.3/24,    cidr:192.0.2.0/24",
        "192.0.2.0/24,    cidr:192.0.2.0/24",
        "::/0,            cidr:0--0/0",
        "fdff::ff,        cidr:fdff--ff/128",
        "f00d:42::ff/128, cidr:f00d-42--ff/128",
        "f00d:42::ff/96,  cidr:f00d-42--0/96",
        "::1/128,         cidr:0--1/128",
    })
    void ipStringToLabel(String ip, String label) {
        assertThat(CidrLabels.label(ip)).hasToString(label);
        assertThat(CidrLabels.prefix(CidrLabels.label(ip))).hasToString(
                CidrLabels.prefix(Label.parse(label)).toString());
    }

    @Test
    void invalidIpsAreRejected() {
        assertThatThrownBy(() -> CidrLabels.label("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CidrLabels.label("foobar")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CidrLabels.prefix(Label.parse("k8s:app=x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} dualStack={1}")
    @CsvSource({
        "192.0.2.3/32, false, 'cidr:192.0.2.3/32,reserved:world'",
        "0.0.0.0/0,    false, 'reserved:world'",
        "2001:db8::1,  false, 'cidr:2001-db8--1/128,reserved:world'",
        "192.0.2.3/32, true,  'cidr:192.0.2.3/32,reserved:world-ipv4'",
        "0.0.0.0/0,    true,  'reserved:world-ipv4'",
        "::/0,         true,  'reserved:world-ipv6'",
        "2001:db8::1,  true,  'cidr:2001-db8--1/128,reserved:world-ipv6'",
    })
    void labelsOfAPrefix(String prefix, boolean dualStack, String expected) {
        Labels labels = CidrLabels.of(dualStack).labels(prefix);

        assertThat(labels.asList()).map(Label::toString)
                .containsExactlyInAnyOrder(expected.split(","));
    }

    @Test
    void defaultIsSingleStack() {
        assertThat(CidrLabels.defaults().dualStack()).isFalse();
        assertThat(CidrLabels.defaults().worldLabel(true)).isEqualTo(Label.reserved("world"));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "cidr:10.0.0.0/8,      cidr:10.1.2.3/32,     true",
        "cidr:10.0.0.0/8,      cidr:10.0.0.0/8,      true",
        "cidr:10.0.0.0/8,      cidr:10.0.0.0/7,      false",
        "cidr:10.0.0.0/8,      cidr:11.0.0.1/32,     false",
        "cidr:0.0.0.0/0,       cidr:192.0.2.3/32,    true",
        "cidr:0.0.0.0/0,       cidr:0--1/128,        false",
        "cidr:2001-db8--0/32,  cidr:2001-db8--1/128, true",
        "cidr:2001-db8--0/32,  cidr:2001-db9--1/128, false",
        "cidr:10.0.0.0/8,      k8s:10.1.2.3/32,      false",
        "k8s:10.0.0.0/8,       cidr:10.1.2.3/32,     false",
        "cidr:not-a-prefix,    cidr:10.1.2.3/32,     false",
    })
    void cidrAwareContainment(String selector, String identity, boolean expected) {
        assertThat(CidrLabels.contains(Label.parse(selector), Label.parse(identity))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} hasKey {1}: {2}")
    @CsvSource({
        "cidr:10.0.0.0/8,  cidr:10.1.2.3/32,  true",
        "cidr:10.0.0.0/16, cidr:10.1.2.3/32,  false",
        "any:app,          k8s:app=web,       true",
        "k8s:app,          k8s:app=web,       true",
        "k8s:app,          container:app=web, false",
        "any:10.0.0.0/8,   cidr:10.1.2.3/32,  false",
        "reserved:world,   reserved:world,    true",
    })
    void hasKey(String selector, String identity, boolean expected) {
        assertThat(CidrLabels.hasKey(Label.parse(selector), Label.parse(identity))).isEqualTo(expected);
    }
}
