package io.portcullis.identity;

import static io.portcullis.testsupport.BadInput.Bad.of;
import static io.restassured.RestAssured.given;

import io.portcullis.testsupport.BadInput;
import io.portcullis.testsupport.BadInput.Bad;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * identity-service's REST is read-only: bad path parameters, bad label filters, writes and unknown routes
 * are each a 4xx JSON error that says why, and the identities and ipcache read the same afterwards.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class BadInputSweepTest {

    private static String state() {
        return given().get("/v1/identities").then().statusCode(200).extract().asString()
                + given().get("/v1/ipcache").then().statusCode(200).extract().asString();
    }

    @Test
    void everyCallRefusesBadInput() {
        List<Bad> table = List.of(
                of("identity not a number", "GET", "/v1/identities/web", null, null, 400),
                of("identity a fraction", "GET", "/v1/identities/2.5", null, null, 400),
                of("identity beyond a long", "GET", "/v1/identities/99999999999999999999", null, null, 400),
                of("unknown identity", "GET", "/v1/identities/99999", null, null, 404),
                of("negative identity", "GET", "/v1/identities/-5", null, null, 404),
                of("label filter without key", "GET", "/v1/identities?label=k8s:=x", null, null, 400),
                of("label filter only a source", "GET", "/v1/identities?label=k8s:", null, null, 400),
                of("not an IP", "GET", "/v1/ipcache/not-an-ip", null, null, 400),
                of("IPv4 out of range", "GET", "/v1/ipcache/127.0.0.256", null, null, 400),
                of("a prefix instead of an IP", "GET", "/v1/ipcache/10.0.0.0%2F8", null, null, 400),
                of("POST identities", "POST", "/v1/identities", "application/json", "{\"id\": 300}", 405),
                of("DELETE an identity", "DELETE", "/v1/identities/2", null, null, 405),
                of("PUT ipcache", "PUT", "/v1/ipcache/10.0.0.1", "application/json", "{}", 405),
                new Bad("2 MiB body on a read-only route", "POST", "/v1/identities", "application/json",
                        BadInput.huge(2 << 20), 405),
                of("unknown route", "GET", "/v1/nothing", null, null, 404));
        BadInput.assertAllRefusedUnchanged(table, "message", BadInputSweepTest::state);
    }
}
