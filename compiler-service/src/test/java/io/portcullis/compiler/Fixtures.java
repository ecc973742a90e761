package io.portcullis.compiler;

import io.portcullis.compiler.explain.ExplainRequest;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.labels.EndpointLabels;
import java.util.List;
import java.util.Map;

/** Test data shared by the unit and Kafka tests. */
public final class Fixtures {

    private static final PolicyParser PARSER = new PolicyParser();

    private Fixtures() {}

    public static EndpointRecord endpoint(String node, String ns, String name, Map<String, String> labels,
            List<String> ips, Map<String, Integer> namedPorts) {
        return new EndpointRecord(EndpointRecord.SCHEMA_VERSION, node, ns, name, labels, Map.of(), "default", ips,
                namedPorts);
    }

    public static EndpointRecord endpoint(String node, ConformanceCase.CaseEndpoint e) {
        return new EndpointRecord(EndpointRecord.SCHEMA_VERSION, node, e.namespace() == null ? "default" : e.namespace(),
                e.name(), e.labels(), e.namespaceLabels(), e.serviceAccount() == null ? "default" : e.serviceAccount(),
                e.ips(), e.namedPorts() == null ? Map.of() : e.namedPorts());
    }

    /** The identity identity-service would give an endpoint, numbered by the caller. */
    public static Identity identity(long id, EndpointRecord ep) {
        return new Identity(id, EndpointLabels.defaults().identityLabels(ep.namespace(), ep.labels(),
                ep.namespaceLabels(), ep.serviceAccount()));
    }

    public static List<CiliumPolicy> policies(String yaml) {
        ParseResult r = PARSER.parseAndValidate(yaml, "application/yaml");
        if (r.hasErrors()) {
            throw new IllegalArgumentException(r.errors().toString());
        }
        return r.policies();
    }

    public static CiliumPolicy policy(String yaml) {
        return policies(yaml).getFirst();
    }

    /** A policy selecting {@code class=<subject>} that admits {@code org=<from>} on a port. */
    public static String allowFrom(String name, String subject, String from, int port) {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: %s, namespace: default}
                spec:
                  endpointSelector: {matchLabels: {class: %s}}
                  ingress:
                  - fromEndpoints: [{matchLabels: {org: %s}}]
                    toPorts: [{ports: [{port: "%d", protocol: TCP}]}]
                """.formatted(name, subject, from, port);
    }

    public static ExplainRequest request(ConformanceCase.Check c) {
        return new ExplainRequest(target(c.from()), target(c.to()), c.port(), c.protocol(),
                c.http() == null ? null : new ExplainRequest.Http(c.http().method(), c.http().path(), c.http().host(),
                        c.http().headers()),
                c.kafka() == null ? null : new ExplainRequest.Kafka(c.kafka().apiKey(), c.kafka().apiVersion(),
                        c.kafka().clientId(), c.kafka().topics()),
                c.dns() == null ? null : new ExplainRequest.Dns(c.dns().qname()));
    }

    private static ExplainRequest.Target target(ConformanceCase.Target t) {
        return new ExplainRequest.Target(t.endpoint(), t.ip());
    }
}
