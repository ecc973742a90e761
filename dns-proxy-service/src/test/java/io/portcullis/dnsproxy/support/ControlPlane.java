package io.portcullis.dnsproxy.support;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCases;
import io.portcullis.policy.conformance.InProcessCluster;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays node-agent (registrations), identity-service and compiler-service for a conformance case on the pure
 * engine: the records they would publish, which a test sends to a real broker or folds directly.
 */
public final class ControlPlane {

    public static final String ENDPOINTS = "portcullis.endpoints";
    public static final String IDENTITIES = "portcullis.identities";
    public static final String IPCACHE = "portcullis.ipcache";
    public static final String ENDPOINT_IDENTITIES = "portcullis.endpoint-identities";
    public static final String ENDPOINT_POLICIES = "portcullis.endpoint-policies";
    public static final String OBSERVATIONS = "portcullis.fqdn-observations";

    public record MeshRecord(String topic, String key, byte[] value) {}

    private final String node;
    private final InProcessCluster cluster = new InProcessCluster();
    private final Map<String, InProcessCluster.LocalEndpoint> endpoints = new LinkedHashMap<>();

    public ControlPlane(String node) {
        this.node = node;
    }

    public static ConformanceCase loadCase(String name) {
        try {
            return ConformanceCases.load(ConformanceCases.sharedCasesDir().resolve(name + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every record for the case's endpoints (all on this node) and its first step's policies. */
    public List<MeshRecord> records(ConformanceCase c, long revision) {
        List<MeshRecord> out = new ArrayList<>();
        c.endpointsOrEmpty().forEach(e -> out.addAll(register(e)));
        out.addAll(apply(c.allSteps().getFirst().apply(), revision));
        return out;
    }

    public List<MeshRecord> register(ConformanceCase.CaseEndpoint e) {
        InProcessCluster.LocalEndpoint ep = cluster.addEndpoint(e);
        endpoints.put(ep.key(), ep);
        String key = node + "/" + ep.key();
        String ns = e.namespace() == null ? "default" : e.namespace();
        List<MeshRecord> out = new ArrayList<>();
        out.add(new MeshRecord(ENDPOINTS, key, MeshJson.encode(new EndpointRecord(EndpointRecord.SCHEMA_VERSION, node, ns,
                e.name(), e.labels(), e.namespaceLabels(), "default", ep.ips(), ep.namedPorts()))));
        out.add(identity(ep.identity()));
        out.add(new MeshRecord(ENDPOINT_IDENTITIES, key, MeshJson.encode(EndpointIdentityRecord.of(key, ep.identity().id()))));
        for (String ip : ep.ips()) {
            out.add(new MeshRecord(IPCACHE, ip + "/32", MeshJson.encode(IpCacheRecord.of(ip + "/32", ep.identity().id(), "endpoint"))));
        }
        return out;
    }

    public List<MeshRecord> apply(String yaml, long revision) {
        ParseResult r = cluster.apply(yaml);
        if (!r.errors().isEmpty()) {
            throw new IllegalArgumentException("case policies do not apply: " + r.errors());
        }
        List<MeshRecord> out = new ArrayList<>();
        for (Identity id : cluster.engine().identities()) {
            if (!id.isReserved()) {
                out.add(identity(id));
            }
        }
        endpoints.values().forEach(ep -> out.add(new MeshRecord(ENDPOINT_POLICIES, node + "/" + ep.key(),
                MeshJson.encode(EndpointPolicyCodec.encode(node, ep.key(), revision,
                        cluster.engine().policyFor(new Subject(ep.identity(), ep.namedPorts())))))));
        return out;
    }

    private static MeshRecord identity(Identity id) {
        return new MeshRecord(IDENTITIES, Long.toString(id.id()), MeshJson.encode(IdentityRecord.of(id)));
    }
}
