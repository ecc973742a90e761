package io.portcullis.compiler.explain;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;

/** The verdict body of the conformance contract (DESIGN.md item 3): one flow, optionally with its L7 request. */
public record ExplainRequest(
        @NotNull @Valid Target from,
        @NotNull @Valid Target to,
        @NotNull @Min(0) @Max(65535) Integer port,
        String protocol,
        Http http,
        Kafka kafka,
        Dns dns) {

    /** {@code endpoint: ns/name} or {@code ip}, exactly one. */
    public record Target(String endpoint, String ip) {
        @Override
        public String toString() {
            return endpoint != null ? endpoint : ip;
        }
    }

    public record Http(String method, String path, String host, Map<String, String> headers) {}

    public record Kafka(String apiKey, Integer apiVersion, String clientId, List<String> topics) {}

    public record Dns(String qname) {}
}
