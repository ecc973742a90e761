package io.portcullis.policy.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rows from Cilium's {@code pkg/policy/api/utils_test.go} TestParseL4Proto and TestValidateL4Proto. */
class ParseL4ProtoTest {

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(nullValues = "null", value = {
        "tcp, TCP",
        "Any, ANY",
        "'', ANY",
        "null, ANY",
        "TCP, TCP",
        "UDP, UDP",
        "sctp, SCTP",
        "foo2, null",
        "TCP2, null",
        "t, null",
        "VRRP, null",
        "ICMP, null",
    })
    void parseL4Proto(String input, String expected) {
        assertThat(L4Proto.normalise(input)).isEqualTo(expected);
    }
}
