package io.portcullis.agent.verdict;

import java.util.List;
import java.util.Map;

/** The body of {@code POST /v1/verdicts} (contract item 3). At most one of {@code http}, {@code kafka}, {@code dns}. */
public record VerdictRequest(Target from, Target to, Integer port, String protocol, Http http, Kafka kafka, Dns dns) {

    /** {@code {"endpoint": "ns/name"}} or {@code {"ip": "..."}}. */
    public record Target(String endpoint, String ip) {}

    public record Http(String method, String path, String host, Map<String, String> headers) {}

    /** {@code apiKey}: a name ({@code produce}) or a number. */
    public record Kafka(String apiKey, Integer apiVersion, String clientId, List<String> topics) {}

    public record Dns(String qname) {}
}
