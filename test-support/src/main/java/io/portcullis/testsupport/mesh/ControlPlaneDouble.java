package io.portcullis.testsupport.mesh;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
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
 * Plays identity-service and compiler-service (and, for services that read registrations, node-agent's
 * {@code portcullis.endpoints} record) for a conformance case, on the pure engine ({@link InProcessCluster}):
 * the records they would publish, as (topic, key, value) triples that a test either sends to a real broker
 * or folds directly. Shared by node-agent's and dns-proxy-service's tests.
 */
public class ControlPlaneDouble {

    public static final String ENDPOINTS = "portcullis.endpoints";
    public static final String IDENTITIES = "portcullis.identities";
    public static final String IPCACHE = "portcullis.ipcache";
    public static final String ENDPOINT_IDENTITIES = "portcullis.endpoint-identities";
    public static final String ENDPOINT_POLICIES = "portcullis.endpoint-policies";
    public static final String REALIZED = "portcullis.realized";
    public static final String OBSERVATIONS = "portcullis.fqdn-observations";

    /** One record a control-plane service would publish; {@code value} null is a tombstone. */
    public record MeshRecord(String topic, String key, byte[] value) {}

    private final String node;
    private final InProcessCluster cluster = new InProcessCluster();
    private final Map<String, InProcessCluster.LocalEndpoint> endpoints = new LinkedHashMap<>();

    public ControlPlaneDouble(String node) {
        this.node = node;
    }

    public static ConformanceCase loadCase(String name) {
        try {
            return ConformanceCases.load(ConformanceCases.sharedCasesDir().resolve(name + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** identity-service: the endpoint's identity, its labels, and its addresses in the ipcache. */
    public List<MeshRecord> register(CaseEndpoint e) {
        InProcessCluster.LocalEndpoint ep = cluster.addEndpoint(e);
        endpoints.put(ep.key(), ep);
        List<MeshRecord> out = new ArrayList<>();
        out.add(identity(ep.identity()));
        out.add(new MeshRecord(ENDPOINT_IDENTITIES, node + "/" + ep.key(),
                MeshJson.encode(EndpointIdentityRecord.of(node + "/" + ep.key(), ep.identity().id()))));
        for (String ip : ep.ips()) {
            String prefix = ip + "/32";
            out.add(new MeshRecord(IPCACHE, prefix,
                    MeshJson.encode(IpCacheRecord.of(prefix, ep.identity().id(), "endpoint"))));
        }
        return out;
    }

    /** node-agent's registration record of a case endpoint on this node. */
    public MeshRecord endpoint(CaseEndpoint e) {
        String ns = e.namespace() == null ? "default" : e.namespace();
        EndpointRecord rec = new EndpointRecord(EndpointRecord.SCHEMA_VERSION, node, ns, e.name(), e.labels(),
                e.namespaceLabels(), "default", e.ips(), e.namedPorts());
        return new MeshRecord(ENDPOINTS, rec.key(), MeshJson.encode(rec));
    }

    /** Every record for the case: its endpoints (all on this node) registered, then its first step's policies. */
    public List<MeshRecord> records(ConformanceCase c, long revision) {
        List<MeshRecord> out = new ArrayList<>();
        for (CaseEndpoint e : c.endpointsOrEmpty()) {
            out.add(endpoint(e));
            out.addAll(register(e));
        }
        out.addAll(apply(c.allSteps().getFirst().apply(), revision));
        return out;
    }

    public long identityOf(String endpointId) {
        return endpoints.get(endpointId).identity().id();
    }

    /** policy-api + compiler-service: applies the policies, then every endpoint's map at {@code revision}. */
    public List<MeshRecord> apply(String yaml, long revision) {
        ParseResult r = cluster.apply(yaml);
        if (!r.errors().isEmpty()) {
            throw new IllegalArgumentException("case policies do not apply: " + r.errors());
        }
        return compile(revision);
    }

    /** compiler-service: every endpoint's map (and every non-reserved identity it knows) at {@code revision}. */
    public List<MeshRecord> compile(long revision) {
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

    /** A verdict request body for a case check: the check without its expectation. */
    public static Map<String, Object> verdictBody(ConformanceCase.Check c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", target(c.from()));
        body.put("to", target(c.to()));
        body.put("port", c.port());
        body.put("protocol", c.protocol());
        if (c.http() != null) {
            Map<String, Object> http = new LinkedHashMap<>();
            http.put("method", c.http().method());
            http.put("path", c.http().path());
            if (c.http().host() != null) {
                http.put("host", c.http().host());
            }
            if (c.http().headers() != null) {
                http.put("headers", c.http().headers());
            }
            body.put("http", http);
        }
        if (c.kafka() != null) {
            Map<String, Object> kafka = new LinkedHashMap<>();
            kafka.put("apiKey", c.kafka().apiKey());
            if (c.kafka().apiVersion() != null) {
                kafka.put("apiVersion", c.kafka().apiVersion());
            }
            if (c.kafka().clientId() != null) {
                kafka.put("clientId", c.kafka().clientId());
            }
            if (c.kafka().topics() != null) {
                kafka.put("topics", c.kafka().topics());
            }
            body.put("kafka", kafka);
        }
        if (c.dns() != null) {
            body.put("dns", Map.of("qname", c.dns().qname()));
        }
        return body;
    }

    private static Map<String, String> target(ConformanceCase.Target t) {
        return t.endpoint() != null ? Map.of("endpoint", t.endpoint()) : Map.of("ip", t.ip());
    }
}
