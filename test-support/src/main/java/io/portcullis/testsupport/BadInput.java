package io.portcullis.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The bad-input sweep's shared assertions: a request a service must refuse gets the expected 4xx with a
 * JSON body that says why, and leaves the service's observable state as it was.
 */
public final class BadInput {

    private BadInput() {}

    /** One bad request: {@code body} null sends none; {@code contentType} null sends no Content-Type. */
    public record Bad(String why, String method, String path, String contentType, byte[] body, int status) {

        public static Bad of(String why, String method, String path, String contentType, String body, int status) {
            return new Bad(why, method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                    status);
        }

        @Override
        public String toString() {
            return status + " for " + why + ": " + method + " " + path;
        }
    }

    /** {@code n} bytes of a JSON string that is larger than any body limit of the services (1 MiB). */
    public static byte[] huge(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'a');
        b[0] = '"';
        b[n - 1] = '"';
        return b;
    }

    /** Sends {@code bad}, asserts its status and that the JSON body's {@code messagePath} field explains it. */
    public static Response assertRefused(Bad bad, String messagePath) {
        RequestSpecification r = given();
        if (bad.contentType() != null) {
            r = r.contentType(bad.contentType());
        }
        if (bad.body() != null) {
            r = r.body(bad.body());
        }
        Response resp = r.when().request(bad.method(), bad.path());
        String body = resp.asString();
        assertEquals(bad.status(), resp.statusCode(), () -> bad + ": got HTTP " + resp.statusCode() + " " + body);
        String type = resp.contentType();
        assertTrue(type != null && type.startsWith("application/json"), () -> bad + ": content type " + type + ": " + body);
        String message = resp.jsonPath().getString(messagePath);
        assertTrue(message != null && !message.isBlank(), () -> bad + ": no " + messagePath + " in " + body);
        return resp;
    }

    /** Every bad request is refused as expected and {@code state} reads the same before and after. */
    public static void assertAllRefusedUnchanged(Iterable<Bad> table, String messagePath, Supplier<String> state) {
        String before = state.get();
        assertFalse(before == null || before.isEmpty(), "the state snapshot is empty");
        java.util.List<org.junit.jupiter.api.function.Executable> checks = new java.util.ArrayList<>();
        for (Bad bad : table) {
            checks.add(() -> assertRefused(bad, messagePath));
        }
        assertAll(checks);
        assertEquals(before, state.get(), "bad input changed the state");
    }
}
