package io.portcullis.dnsproxy;

import static io.portcullis.dnsproxy.support.DnsStackResource.SHIP;
import static io.portcullis.dnsproxy.support.DnsStackResource.dnsPort;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.dnsproxy.support.DnsStackResource;
import io.portcullis.dnsproxy.support.UdpDns;
import io.portcullis.testsupport.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * 100,000 random and mutated packets at the proxy (UDP, and some over TCP); after every 1,000 a valid query
 * must still get its answer. Seeded, so a failure replays.
 */
@QuarkusTest
@WithTestResource(DnsStackResource.class)
class DnsProxyFuzzTest {

    static final int PACKETS = 100_000;
    static final int PROBE_EVERY = 1_000;

    @Test
    void keepsAnsweringValidQueriesUnderRandomAndMutatedPackets() throws Exception {
        Eventually.holds(() -> given().get("/v1/dns-proxy/stats").then().statusCode(200)
                .body("rulesReplayed", org.hamcrest.Matchers.equalTo(true)));
        Random rnd = new Random(20261124L);
        List<byte[]> seeds = List.of(UdpDns.query("cilium.io"), UdpDns.query("sub.cilium.io"),
                UdpDns.query("example.com"), UdpDns.query("alias.cilium.io"), UdpDns.query("big.cilium.io"));
        int probes = 0;
        try (UdpDns fuzzFromShip = new UdpDns(SHIP, dnsPort); UdpDns fuzzFromElsewhere = new UdpDns("127.0.0.1", dnsPort);
             UdpDns probe = new UdpDns(SHIP, dnsPort)) {
            for (int i = 0; i < PACKETS; i++) {
                byte[] p = rnd.nextInt(4) == 0 ? random(rnd) : mutate(rnd, seeds.get(rnd.nextInt(seeds.size())));
                (rnd.nextBoolean() ? fuzzFromShip : fuzzFromElsewhere).send(p);
                if ((i + 1) % 100 == 0) {
                    Thread.sleep(2); // paced (~50k packets/s at most), so socket buffers, not the proxy, are not the limit
                }
                if ((i + 1) % PROBE_EVERY == 0) {
                    assertAnswered(probe, i + 1);
                    probes++;
                }
                if ((i + 1) % 10_000 == 0) {
                    tcpGarbage(rnd);
                }
            }
            assertAnswered(probe, PACKETS);
        }
        assertThat(probes).isEqualTo(PACKETS / PROBE_EVERY);
        int malformed = given().get("/v1/dns-proxy/stats").then().statusCode(200).extract().path("malformed");
        assertThat(malformed).isGreaterThan(1_000);
    }

    private static void assertAnswered(UdpDns probe, int after) throws Exception {
        Message m = null;
        int attempt = 0;
        long t0 = System.nanoTime();
        for (; attempt < 3 && m == null; attempt++) { // UDP: a burst may overflow a buffer
            m = probe.ask("cilium.io", 1_000);
        }
        if (attempt > 1) {
            System.out.printf("probe after %d: %d attempts, %d ms%n", after, attempt, (System.nanoTime() - t0) / 1_000_000);
        }
        assertThat(m).as("answer after %d packets", after).isNotNull();
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(org.xbill.DNS.Section.ANSWER)).hasSize(1);
    }

    private static byte[] random(Random rnd) {
        byte[] p = new byte[rnd.nextInt(rnd.nextBoolean() ? 16 : 600)];
        rnd.nextBytes(p);
        return p;
    }

    /** A valid query with flipped bits, overwritten bytes, a cut, or garbage appended. */
    private static byte[] mutate(Random rnd, byte[] seed) {
        byte[] p = Arrays.copyOf(seed, seed.length);
        switch (rnd.nextInt(5)) {
            case 0 -> {
                for (int k = rnd.nextInt(4) + 1; k > 0; k--) {
                    p[rnd.nextInt(p.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> p[rnd.nextInt(p.length)] = (byte) rnd.nextInt(256);
            case 2 -> p = Arrays.copyOf(p, rnd.nextInt(p.length));
            case 3 -> {
                byte[] longer = Arrays.copyOf(p, p.length + rnd.nextInt(64) + 1);
                for (int k = p.length; k < longer.length; k++) {
                    longer[k] = (byte) rnd.nextInt(256);
                }
                p = longer;
            }
            default -> { // header counts, label lengths: the parser's favourite traps
                p[4 + rnd.nextInt(8)] = (byte) rnd.nextInt(256);
                p[12] = (byte) rnd.nextInt(256);
            }
        }
        return p;
    }

    private static void tcpGarbage(Random rnd) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), dnsPort)) {
            OutputStream out = s.getOutputStream();
            for (int k = 0; k < 20; k++) {
                byte[] p = random(rnd);
                out.write(new byte[] {(byte) (p.length >> 8), (byte) p.length});
                out.write(p);
            }
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}); // a frame that never completes
            out.flush();
        }
    }
}
