package io.portcullis.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.ip.IpPrefix;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Longest-prefix match, world fallback, removal and snapshots of the ipcache. */
class IpCacheTest {

    private static IpCache table() {
        IpCache c = new IpCache();
        c.upsert("10.0.0.0/8", 0x0100_0001L, "policy");
        c.upsert("10.1.0.0/16", 0x0100_0002L, "policy");
        c.upsert("10.1.2.3", 300, "k8s");
        c.upsert("2001:db8::/32", 0x0100_0003L, "policy");
        c.upsert("2001:db8:1::/48", 0x0100_0004L, "policy");
        c.upsert("2001:db8:1::7/128", 301, "k8s");
        return c;
    }

    @ParameterizedTest(name = "{0} → {1} via {2}")
    @CsvSource({
        "10.1.2.3,       300,      10.1.2.3/32",
        "10.1.2.4,       16777218, 10.1.0.0/16",
        "10.2.0.1,       16777217, 10.0.0.0/8",
        "11.0.0.1,       2,        0.0.0.0/0",
        "2001:db8:1::7,  301,      2001:db8:1::7/128",
        "2001:db8:1::8,  16777220, 2001:db8:1::/48",
        "2001:db8:2::1,  16777219, 2001:db8::/32",
        "2001:db9::1,    2,        ::/0",
        "::ffff:10.1.2.3, 2,       ::/0",
    })
    void longestPrefixMatch(String ip, long identity, String prefix) {
        IpCache.Entry e = table().lookup(ip);

        assertThat(e.identity()).isEqualTo(identity);
        assertThat(e.prefix()).hasToString(prefix);
    }

    @Test
    void lookupByInetAddress() throws Exception {
        assertThat(table().lookup(InetAddress.getByName("10.1.2.3")).identity()).isEqualTo(300);
        assertThat(table().lookup(InetAddress.getByName("2001:db8:1::7")).identity()).isEqualTo(301);
    }

    @Test
    void worldFallbackIsPerFamilyInDualStack() {
        IpCache dual = new IpCache(true);

        assertThat(dual.lookup("192.0.2.1").identity()).isEqualTo(ReservedIdentity.WORLD_IPV4.id());
        assertThat(dual.lookup("2001:db8::1").identity()).isEqualTo(ReservedIdentity.WORLD_IPV6.id());
        assertThat(dual.lookup("192.0.2.1").source()).isEqualTo(IpCache.SOURCE_WORLD);
    }

    @Test
    void explicitDefaultRouteWins() {
        IpCache c = new IpCache();
        c.upsert("0.0.0.0/0", 0x0100_0009L, "policy");

        assertThat(c.lookup("8.8.8.8").identity()).isEqualTo(0x0100_0009L);
        assertThat(c.lookup("::1").identity()).isEqualTo(2);
    }

    @Test
    void upsertReplacesAndRemoveFallsBackToShorterPrefix() {
        IpCache c = table();

        assertThat(c.upsert("10.1.2.3/32", 302, "k8s")).map(IpCache.Entry::identity).contains(300L);
        assertThat(c.lookup("10.1.2.3").identity()).isEqualTo(302);

        assertThat(c.remove("10.1.2.3")).isPresent();
        assertThat(c.remove("10.1.2.3")).isEmpty();
        assertThat(c.lookup("10.1.2.3").identity()).isEqualTo(0x0100_0002L);

        c.remove("10.1.0.0/16");
        c.remove("10.0.0.0/8");
        assertThat(c.lookup("10.1.2.3").identity()).isEqualTo(2);
        assertThat(c.size()).isEqualTo(3);
    }

    @Test
    void prefixesAreMaskedOnInsert() {
        IpCache c = new IpCache();
        c.upsert("192.0.2.77/24", 400, "policy");

        assertThat(c.get(IpPrefix.parse("192.0.2.0/24"))).map(IpCache.Entry::identity).contains(400L);
        assertThat(c.lookup("192.0.2.1").identity()).isEqualTo(400);
    }

    @Test
    void listIsSorted() {
        assertThat(table().list()).extracting(e -> e.prefix().toString()).containsExactly(
                "10.0.0.0/8", "10.1.0.0/16", "10.1.2.3/32", "2001:db8::/32", "2001:db8:1::/48", "2001:db8:1::7/128");
    }

    @Test
    void snapshotIsIsolatedAndReadOnly() {
        IpCache c = table();
        IpCache snap = c.snapshot();
        c.remove("10.1.2.3");

        assertThat(snap.lookup("10.1.2.3").identity()).isEqualTo(300);
        assertThat(snap.size()).isEqualTo(6);
        assertThatThrownBy(() -> snap.upsert("1.1.1.1", 5, "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(snap.snapshot()).isSameAs(snap);
    }
}
