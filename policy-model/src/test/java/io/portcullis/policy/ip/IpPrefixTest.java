package io.portcullis.policy.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, masking and canonical text of prefixes; expected texts are Go {@code netip} output. */
class IpPrefixTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "192.0.2.3,                  192.0.2.3/32",
        "192.0.2.3/24,               192.0.2.0/24",
        "0.0.0.0/0,                  0.0.0.0/0",
        "10.1.2.3/8,                 10.0.0.0/8",
        "::/0,                       ::/0",
        "::1,                        ::1/128",
        "fdff::ff,                   fdff::ff/128",
        "f00d:42::ff/96,             f00d:42::/96",
        "2001:DB8::1/128,            2001:db8::1/128",
        "2001:db8:cafe::cab:4:b0b:0/112, 2001:db8:cafe:0:cab:4:b0b:0/112",
        "1:0:0:1:0:0:0:1,            1:0:0:1::1/128",
        "1:0:0:2:0:0:3:4,            1::2:0:0:3:4/128",
        "::ffff:1.2.3.4,             ::ffff:1.2.3.4/128",
        "64:ff9b::1.2.3.4,           64:ff9b::102:304/128",
        "1:2:3:4:5:6:7::,            1:2:3:4:5:6:7:0/128",
    })
    void parsesAndPrintsCanonically(String text, String canonical) {
        assertThat(IpPrefix.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "foobar", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4/33",
        "1.2.3.4/", "1.2.3.4/-1", "::/129", "1:::2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", ":1::",
        "1.2.3.4::", "fe80::1%eth0", "g::1"})
    void rejectsNonLiterals(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void containment() {
        IpPrefix eight = IpPrefix.parse("10.0.0.0/8");

        assertThat(eight.contains(IpPrefix.parse("10.1.2.3"))).isTrue();
        assertThat(eight.contains(eight)).isTrue();
        assertThat(eight.contains(IpPrefix.parse("11.0.0.0/8"))).isFalse();
        assertThat(eight.contains(IpPrefix.parse("10.0.0.0/7"))).isFalse();
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(IpPrefix.parse("::1"))).isFalse();
        assertThat(IpPrefix.parse("2001:db8::/32").contains(IpPrefix.parse("2001:db8:1::/48"))).isTrue();
    }

    @Test
    void inetAddressRoundTrip() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::7");
        IpAddress ip = IpAddress.of(v6);

        assertThat(ip).hasToString("2001:db8::7");
        assertThat(ip.toInetAddress()).isEqualTo(v6);
        assertThat(IpPrefix.of(InetAddress.getByName("127.10.0.2"))).hasToString("127.10.0.2/32");
    }
}
