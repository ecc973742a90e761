package io.portcullis.policy.verdict;

import io.portcullis.policy.l7.http.HttpRequest;
import java.util.List;

/** The L7 part of a flow, as a proxy would see it. */
public sealed interface L7Request {

    record Http(HttpRequest request) implements L7Request {}

    /** {@code apiKey} is a name ({@code produce}, {@code listoffsets}) or a number; null fields are absent. */
    record Kafka(String apiKey, Integer apiVersion, String clientId, List<String> topics) implements L7Request {
        public Kafka {
            topics = topics == null ? List.of() : List.copyOf(topics);
        }
    }

    record Dns(String qname) implements L7Request {}
}
