package io.portcullis.conformance.runner;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.policy.conformance.ConformanceCase.Check;
import io.portcullis.policy.conformance.ConformanceCase.Observation;
import io.portcullis.policy.conformance.ConformanceCase.Target;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The pure half of the runner: case parts to request bodies and paths, policies to their refs. */
public final class Requests {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static final String CNP = "CiliumNetworkPolicy";
    public static final String CCNP = "CiliumClusterwideNetworkPolicy";

    private Requests() {}

    /** A stored policy: {@code CiliumNetworkPolicy/ns/name} or {@code CiliumClusterwideNetworkPolicy/name}. */
    public record PolicyRef(String kind, String namespace, String name) {

        /** Parses {@code Kind/ns/name} (namespaced) or {@code Kind/name} (clusterwide). */
        public static PolicyRef parse(String ref) {
            String[] p = ref.trim().split("/");
            if (p.length == 3 && CNP.equals(p[0])) {
                return new PolicyRef(CNP, p[1], p[2]);
            }
            if (p.length == 2 && CCNP.equals(p[0])) {
                return new PolicyRef(CCNP, null, p[1]);
            }
            if (p.length == 2 && CNP.equals(p[0])) {
                return new PolicyRef(CNP, "default", p[1]);
            }
            throw new IllegalArgumentException("not a policy ref (" + CNP + "/ns/name or " + CCNP + "/name): " + ref);
        }

        /** The policy-api path that GETs, PUTs and DELETEs it. */
        public String path() {
            return CNP.equals(kind)
                    ? "/v1/namespaces/" + enc(namespace) + "/ciliumnetworkpolicies/" + enc(name)
                    : "/v1/ciliumclusterwidenetworkpolicies/" + enc(name);
        }

        @Override
        public String toString() {
            return namespace == null ? kind + "/" + name : kind + "/" + namespace + "/" + name;
        }
    }

    /**
     * The policies a YAML text would create: every document (and every item of a {@code kind: List})
     * whose kind is a CNP or CCNP and that has a name; a CNP without namespace lands in {@code default}.
     * Lenient: an unparsable text (a reject case may be one) yields what could be read.
     */
    public static List<PolicyRef> policyRefs(String yaml) {
        Set<PolicyRef> refs = new LinkedHashSet<>();
        if (yaml == null || yaml.isBlank()) {
            return List.of();
        }
        try (JsonParser p = YAML.getFactory().createParser(yaml);
             MappingIterator<JsonNode> docs = YAML.readValues(p, JsonNode.class)) {
            while (docs.hasNextValue()) {
                collect(docs.nextValue(), refs);
            }
        } catch (Exception e) {
            // keep what was read before the error
        }
        return List.copyOf(refs);
    }

    /** The refs of the stored objects in a {@code POST /v1/policies} answer's {@code items}. */
    public static List<PolicyRef> policyRefs(JsonNode items) {
        Set<PolicyRef> refs = new LinkedHashSet<>();
        if (items != null && items.isArray()) {
            items.forEach(i -> collect(i, refs));
        }
        return List.copyOf(refs);
    }

    private static void collect(JsonNode doc, Set<PolicyRef> out) {
        if (doc == null || !doc.isObject()) {
            return;
        }
        String kind = doc.path("kind").asText("");
        if (kind.endsWith("List") && doc.path("items").isArray()) {
            doc.path("items").forEach(i -> collect(i, out));
            return;
        }
        String name = doc.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
            return;
        }
        if (CNP.equals(kind)) {
            String ns = doc.path("metadata").path("namespace").asText("");
            out.add(new PolicyRef(CNP, ns.isEmpty() ? "default" : ns, name));
        } else if (CCNP.equals(kind)) {
            out.add(new PolicyRef(CCNP, null, name));
        }
    }

    /** {@code POST /v1/endpoints} body. */
    public static ObjectNode endpoint(CaseEndpoint e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", e.name());
        n.put("namespace", e.namespace() == null ? "default" : e.namespace());
        n.set("labels", JSON.valueToTree(e.labels() == null ? Map.of() : e.labels()));
        n.set("namespaceLabels", JSON.valueToTree(e.namespaceLabels() == null ? Map.of() : e.namespaceLabels()));
        n.put("serviceAccount", e.serviceAccount() == null ? "default" : e.serviceAccount());
        n.set("ips", JSON.valueToTree(e.ips() == null ? List.of() : e.ips()));
        n.set("namedPorts", JSON.valueToTree(e.namedPorts() == null ? Map.of() : e.namedPorts()));
        return n;
    }

    /** {@code /v1/endpoints/{ns}/{name}} for an endpoint key {@code ns/name}. */
    public static String endpointPath(String key) {
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("not an endpoint id ns/name: " + key);
        }
        return "/v1/endpoints/" + enc(key.substring(0, slash)) + "/" + enc(key.substring(slash + 1));
    }

    /** {@code POST /v1/verdicts} body. */
    public static ObjectNode verdict(Check c) {
        ObjectNode n = JSON.createObjectNode();
        n.set("from", target(c.from()));
        n.set("to", target(c.to()));
        n.put("port", c.port());
        n.put("protocol", c.protocol() == null ? "TCP" : c.protocol());
        if (c.http() != null) {
            ObjectNode h = n.putObject("http");
            putIf(h, "method", c.http().method());
            putIf(h, "path", c.http().path());
            putIf(h, "host", c.http().host());
            h.set("headers", JSON.valueToTree(c.http().headers() == null ? Map.of() : c.http().headers()));
        }
        if (c.kafka() != null) {
            ObjectNode k = n.putObject("kafka");
            putIf(k, "apiKey", c.kafka().apiKey());
            if (c.kafka().apiVersion() != null) {
                k.put("apiVersion", c.kafka().apiVersion());
            }
            putIf(k, "clientId", c.kafka().clientId());
            ArrayNode topics = k.putArray("topics");
            if (c.kafka().topics() != null) {
                c.kafka().topics().forEach(topics::add);
            }
        }
        if (c.dns() != null) {
            n.putObject("dns").put("qname", c.dns().qname());
        }
        return n;
    }

    private static ObjectNode target(Target t) {
        if (t == null || (t.endpoint() == null) == (t.ip() == null)) {
            throw new IllegalArgumentException("a check side needs exactly one of endpoint or ip: " + t);
        }
        ObjectNode n = JSON.createObjectNode();
        if (t.endpoint() != null) {
            n.put("endpoint", t.endpoint());
        } else {
            n.put("ip", t.ip());
        }
        return n;
    }

    /** {@code POST /v1/fqdn/observations} body. */
    public static ObjectNode observation(Observation o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("endpoint", o.endpoint());
        n.put("name", o.name());
        n.set("ips", JSON.valueToTree(o.ips() == null ? List.of() : o.ips()));
        if (o.ttl() != null) {
            n.put("ttl", o.ttl());
        }
        return n;
    }

    /** The {@code field}s of a Kubernetes Status's {@code details.causes[]}. */
    public static List<String> causeFields(JsonNode status) {
        List<String> out = new ArrayList<>();
        if (status != null) {
            status.path("details").path("causes").forEach(c -> out.add(c.path("field").asText("")));
        }
        return out;
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
