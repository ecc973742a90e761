package io.portcullis.policy.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One case file. Top-level {@code policies}/{@code observations}/{@code checks} are one first step. */
public record ConformanceCase(
        String name,
        String description,
        List<CaseEndpoint> endpoints,
        String policies,
        List<Observation> observations,
        List<Check> checks,
        List<Step> steps,
        List<Reject> rejects) {

    /** Every step in order, the top-level shorthand first. */
    public List<Step> allSteps() {
        List<Step> all = new ArrayList<>();
        if (policies != null || observations != null || checks != null) {
            all.add(new Step(policies, null, observations, checks));
        }
        if (steps != null) {
            all.addAll(steps);
        }
        return all;
    }

    public List<CaseEndpoint> endpointsOrEmpty() {
        return endpoints == null ? List.of() : endpoints;
    }

    public List<Reject> rejectsOrEmpty() {
        return rejects == null ? List.of() : rejects;
    }

    public record CaseEndpoint(String name, String namespace, Map<String, String> labels,
                               Map<String, String> namespaceLabels, String serviceAccount, List<String> ips,
                               Map<String, Integer> namedPorts) {
        public String key() {
            return (namespace == null ? "default" : namespace) + "/" + name;
        }
    }

    public record Step(String apply, List<String> delete, List<Observation> observations, List<Check> checks) {
        public List<Check> checksOrEmpty() {
            return checks == null ? List.of() : checks;
        }
    }

    public record Observation(String endpoint, String name, List<String> ips, Integer ttl) {}

    /** A side of a check: {@code endpoint: ns/name} or {@code ip}. */
    public record Target(String endpoint, String ip) {
        @Override
        public String toString() {
            return endpoint != null ? endpoint : ip;
        }
    }

    public record Check(Target from, Target to, int port, String protocol, HttpCheck http, KafkaCheck kafka,
                        DnsCheck dns, String expect) {
        @Override
        public String toString() {
            String l7 = http != null ? " " + http.method() + " " + http.path()
                    : kafka != null ? " kafka " + kafka.apiKey() + (kafka.topics() == null ? "" : " " + kafka.topics())
                    : dns != null ? " dns " + dns.qname() : "";
            return from + " -> " + to + " " + port + "/" + protocol + l7 + " expect " + expect;
        }
    }

    public record HttpCheck(String method, String path, String host, Map<String, String> headers) {}

    public record KafkaCheck(String apiKey, Integer apiVersion, String clientId, List<String> topics) {}

    public record DnsCheck(String qname) {}

    public record Reject(String policy, String field) {}
}
