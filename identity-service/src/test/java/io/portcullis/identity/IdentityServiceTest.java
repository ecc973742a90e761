package io.portcullis.identity;

import static io.portcullis.identity.mesh.MeshTopics.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.portcullis.identity.mesh.MeshTopics;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service end to end on a real broker: endpoint records in through a plain producer, identity,
 * endpoint-identity and ipcache records out on the topics and through REST; label change, removal, and
 * GC after the (test profile's 2 s) grace period.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class IdentityServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static MeshTopics topics;

    @BeforeAll
    static void clients() {
        topics = new MeshTopics(KafkaBrokerResource.bootstrap());
    }

    @AfterAll
    static void close() {
        topics.close();
    }

    private static EndpointRecord ep(String node, String name, Map<String, String> labels, String... ips) {
        return new EndpointRecord(EndpointRecord.SCHEMA_VERSION, node, "svc-test", name, labels,
                Map.of("team", "blue"), "web-sa", List.of(ips), Map.of("http", 80));
    }

    private static Map<String, EndpointIdentityRecord> endpointIdentities() {
        return topics.read("portcullis.endpoint-identities", EndpointIdentityRecord.class);
    }

    @Test
    void endpointsBecomeIdentitiesIpcacheEntriesAndAreReleased() {
        EndpointRecord web1 = ep("node-a", "web-1", Map.of("app", "web", "pod-template-hash", "1"), "127.10.0.2");
        EndpointRecord web2 = ep("node-b", "web-2", Map.of("app", "web", "pod-template-hash", "2"), "127.10.0.3", "fd00::3");
        topics.endpoint(web1);
        topics.endpoint(web2);
        await("both endpoints resolved", WAIT, () -> endpointIdentities().keySet().containsAll(List.of(web1.key(), web2.key())));

        long web = endpointIdentities().get(web1.key()).identity();
        assertThat(endpointIdentities().get(web2.key()).identity()).isEqualTo(web);
        IdentityRecord published = topics.read("portcullis.identities", IdentityRecord.class).get(Long.toString(web));
        assertThat(published.labels()).contains("k8s:app=web", "k8s:io.cilium.k8s.namespace.labels.team=blue",
                "k8s:io.cilium.k8s.policy.serviceaccount=web-sa", "k8s:io.cilium.k8s.policy.cluster=default");
        Map<String, IpCacheRecord> ipcache = topics.read("portcullis.ipcache", IpCacheRecord.class);
        assertThat(ipcache).containsEntry("127.10.0.2/32", IpCacheRecord.of("127.10.0.2/32", web, "endpoint"))
                .containsEntry("fd00::3/128", IpCacheRecord.of("fd00::3/128", web, "endpoint"));

        await("REST sees the identity", WAIT, () -> given().get("/v1/identities/" + web).statusCode() == 200);
        given().get("/v1/identities/" + web).then().statusCode(200)
                .body("scope", equalTo("global")).body("labels", hasItem("k8s:app=web"));
        given().queryParam("label", "app=web").queryParam("label", "k8s:io.kubernetes.pod.namespace=svc-test")
                .get("/v1/identities").then().statusCode(200).body("id", equalTo(List.of((int) web)));
        given().queryParam("label", "reserved:world").get("/v1/identities").then().body("id", hasItem(2));
        await("REST sees the ipcache", WAIT,
                () -> given().get("/v1/ipcache/127.10.0.3").then().extract().path("identity").equals((int) web));
        given().get("/v1/ipcache").then().statusCode(200).body("prefix", hasItem("fd00::3/128"));

        // Label change: web-2 moves to a new identity, its entries follow; web keeps web-1.
        topics.endpoint(ep("node-b", "web-2", Map.of("app", "web", "tier", "canary"), "127.10.0.3"));
        await("web-2 moved", WAIT, () -> endpointIdentities().get(web2.key()).identity() != web);
        long canary = endpointIdentities().get(web2.key()).identity();
        await("ipcache follows", WAIT, () -> {
            Map<String, IpCacheRecord> now = topics.read("portcullis.ipcache", IpCacheRecord.class);
            return now.get("127.10.0.3/32").identity() == canary && !now.containsKey("fd00::3/128");
        });

        // Removal: tombstones for its entries; after the grace period its identity is freed.
        topics.removeEndpoint(web2.key());
        await("web-2 gone", WAIT, () -> !endpointIdentities().containsKey(web2.key())
                && !topics.read("portcullis.ipcache", IpCacheRecord.class).containsKey("127.10.0.3/32"));
        await("canary identity freed after grace", WAIT,
                () -> !topics.read("portcullis.identities", IdentityRecord.class).containsKey(Long.toString(canary)));
        assertThat(topics.read("portcullis.identities", IdentityRecord.class)).containsKey(Long.toString(web));
        await("REST forgets it", WAIT, () -> given().get("/v1/identities/" + canary).statusCode() == 404);
    }

    @Test
    void reservedIdentitiesAndWorldFallback() {
        given().get("/v1/identities/2").then().statusCode(200).body("labels", equalTo(List.of("reserved:world")))
                .body("scope", equalTo("reserved"));
        given().queryParam("label", "reserved:host").get("/v1/identities").then().body("id", equalTo(List.of(1)));
        given().get("/v1/identities/99999").then().statusCode(404);
        given().get("/v1/ipcache/203.0.113.9").then().statusCode(200)
                .body("identity", equalTo(2)).body("prefix", equalTo("0.0.0.0/0")).body("source", equalTo("world"));
        given().get("/v1/ipcache/not-an-ip").then().statusCode(400);
    }

    @Test
    void openApiAndMetrics() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/ipcache/{ip}"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_identities{scope=\"reserved\"} 10.0"))
                .body(containsString("portcullis_ipcache_entries"));
        given().get("/q/health/ready").then().body("checks.name", hasItem("identity-topics-replayed"))
                .body("checks", hasSize(1));
    }
}
