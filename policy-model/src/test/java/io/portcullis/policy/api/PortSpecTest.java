package io.portcullis.policy.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Port strings as Cilium's {@code PortProtocol.Validate} reads them: {@code iana.IsSvcName} first, then
 * Go's {@code strconv.ParseUint(port, 0, 16)}, so a base prefix with a letter makes a name (rows from
 * CILIUM-SEMANTICS.md §1.5 and {@code pkg/iana/svcname_test.go}).
 */
class PortSpecTest {

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource({
        "80, number 80",
        "0, number 0",
        "65535, number 65535",
        "010, number 8",
        "1_000, number 1000",
        "0o17, name 0o17",
        "0b101, name 0b101",
        "0x50, name 0x50",
        "HTTP, name http",
        "http-alt, name http-alt",
        "08, invalid",
        "70000, invalid",
        "65536, invalid",
        "1__0, invalid",
        "_1, invalid",
        "-1, invalid",
        "a--b, invalid",
        "abcdefghijklmnop, invalid",
    })
    void parse(String port, String expected) {
        String actual = switch (PortSpec.parse(port)) {
            case PortSpec.Numeric n -> "number " + n.port();
            case PortSpec.Named n -> "name " + n.name();
            case PortSpec.Invalid i -> "invalid";
        };
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void emptyPortMustBeSpecified() {
        assertThat(PortSpec.parse("")).isEqualTo(new PortSpec.Invalid("Port must be specified"));
    }
}
