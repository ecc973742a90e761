package io.portcullis.dnsproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.portcullis.dnsproxy.support.Dig;
import io.portcullis.dnsproxy.support.DnsStackResource;
import io.portcullis.dnsproxy.support.RestoredOnlyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * A restart with Kafka unreachable: the proxy serves the rules of its snapshot from its first query, is
 * ready on them, and answers with the same decisions (node-agent down too: the hold releases at once).
 */
@QuarkusTest
@WithTestResource(RestoredOnlyResource.class)
class RestartWithoutControlPlaneTest {

    @Test
    void servesTheRestoredRulesBeforeTheControlPlaneIsReachable() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/v1/dns-proxy/stats").then().statusCode(200)
                .body("rulesReplayed", equalTo(false)).body("endpointAddresses", equalTo(2));
        int port = RestoredOnlyResource.dnsPort;
        Dig.Result allowed = Dig.query(DnsStackResource.SHIP, port, "cilium.io");
        assertThat(allowed.status()).as(allowed.output()).isEqualTo("NOERROR");
        assertThat(allowed.output()).contains("127.200.4.10");
        assertThat(Dig.query(DnsStackResource.SHIP, port, "example.com").status()).isEqualTo("REFUSED");
        assertThat(Dig.query(DnsStackResource.SHIP, port, "cilium.io", "+tcp").status()).isEqualTo("NOERROR");
    }
}
