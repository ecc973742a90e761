package io.portcullis.policy.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.ip.IpPrefix;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows from Cilium {@code pkg/labels/labels_test.go}: {@code TestParseLabel}, {@code TestParseSelectLabel}
 * and {@code TestNewLabelCIDR} (which cidr label texts carry a parsable prefix).
 */
class LabelsTest {

    static Stream<Arguments> parseLabelRows() {
        return Stream.of(
                Arguments.of("source1:key1=value1", "source1", "key1", "value1"),
                Arguments.of("key1=value1", "unspec", "key1", "value1"),
                Arguments.of("value1", "unspec", "value1", ""),
                Arguments.of("source1:key1", "source1", "key1", ""),
                Arguments.of("source1:key1==value1", "source1", "key1", "=value1"),
                Arguments.of("source::key1=value1", "source", "::key1", "value1"),
                Arguments.of("$key1=value1", "reserved", "key1", "value1"),
                Arguments.of("1foo", "unspec", "1foo", ""),
                Arguments.of(":2foo", "unspec", "2foo", ""),
                Arguments.of(":3foo=", "unspec", "3foo", ""),
                Arguments.of("reserved:=key", "reserved", "key", ""),
                Arguments.of("4blah=:foo=", "4blah=", "foo", ""),
                Arguments.of("5blah::foo=", "5blah", "::foo", ""),
                Arguments.of("6foo==", "unspec", "6foo", "="),
                Arguments.of("7foo=bar", "unspec", "7foo", "bar"),
                Arguments.of("k8s:foo=bar:", "k8s", "foo", "bar:"),
                Arguments.of("reservedz=host", "unspec", "reservedz", "host"),
                Arguments.of(":", "unspec", "", ""),
                Arguments.of("reserved.host", "reserved", "host", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parseLabelRows")
    void parseLabel(String text, String source, String key, String value) {
        assertThat(Label.parse(text)).isEqualTo(new Label(source, key, value));
    }

    static Stream<Arguments> parseSelectLabelRows() {
        return Stream.of(
                Arguments.of("source1:key1=value1", "source1", "key1", "value1"),
                Arguments.of("key1=value1", "any", "key1", "value1"),
                Arguments.of("value1", "any", "value1", ""),
                Arguments.of("source1:key1", "source1", "key1", ""),
                Arguments.of("source1:key1==value1", "source1", "key1", "=value1"),
                Arguments.of("source::key1=value1", "source", "::key1", "value1"),
                Arguments.of("$key1=value1", "reserved", "key1", "value1"),
                Arguments.of("1foo", "any", "1foo", ""),
                Arguments.of(":2foo", "any", "2foo", ""),
                Arguments.of(":3foo=", "any", "3foo", ""),
                Arguments.of("4blah=:foo=", "4blah=", "foo", ""),
                Arguments.of("5blah::foo=", "5blah", "::foo", ""),
                Arguments.of("6foo==", "any", "6foo", "="),
                Arguments.of("7foo=bar", "any", "7foo", "bar"),
                Arguments.of("k8s:foo=bar:", "k8s", "foo", "bar:"),
                Arguments.of("reserved.host", "reserved", "host", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parseSelectLabelRows")
    void parseSelectLabel(String text, String source, String key, String value) {
        assertThat(Label.parseSelect(text)).isEqualTo(new Label(source, key, value));
    }

    /** TestNewLabelCIDR: the 129 IPv6 labels of 2001:db8::1/128 and its parents, and one IPv4 label. */
    static Stream<String> cidrLabelTexts() {
        Stream.Builder<String> rows = Stream.builder();
        IpPrefix host = IpPrefix.parse("2001:db8::1/128");
        for (int bits = 0; bits <= 128; bits++) {
            rows.add("cidr:" + CidrLabels.key(host.truncate(bits)));
        }
        rows.add("cidr:1.1.1.1/32");
        return rows.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cidrLabelTexts")
    void newLabelCidrParsesPrefix(String text) {
        Label label = Label.parse(text);
        String prefixText = text.substring(text.indexOf(':') + 1).replace('-', ':');

        assertThat(label.source()).isEqualTo(Label.SOURCE_CIDR);
        assertThat(CidrLabels.prefixOf(label)).contains(IpPrefix.parse(prefixText));
    }

    @Test
    void newLabelCidrSpotChecksFromTheCiliumTable() {
        assertThat(cidrLabelTexts().toList()).startsWith(
                        "cidr:0--0/0", "cidr:0--0/1", "cidr:0--0/2", "cidr:2000--0/3")
                .contains("cidr:2001-800--0/21", "cidr:2001-c00--0/22", "cidr:2001-d80--0/25",
                        "cidr:2001-db0--0/28", "cidr:2001-db8--0/29", "cidr:2001-db8--0/127")
                .endsWith("cidr:2001-db8--1/128", "cidr:1.1.1.1/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reserved:world", "k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=foo"})
    void nonCidrLabelsHaveNoPrefix(String text) {
        Label label = Label.parse(text);

        assertThat(label.source()).isNotEqualTo(Label.SOURCE_CIDR);
        assertThat(CidrLabels.prefixOf(label)).isEmpty();
    }
}
