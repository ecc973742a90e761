package io.portcullis.api.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.api.status.PolicyStatus;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.PolicyKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pure conversions between cluster objects and the intake: what of a watched object policy-api reads, and
 * the status it writes back.
 */
public final class ClusterObjects {

    /** Set by kubectl apply: the whole object again; not the policy's business. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private ClusterObjects() {}

    /**
     * The object as the REST intake would receive it: kind, apiVersion, spec(s), and of the metadata only
     * what a user writes (name, namespace, labels, annotations). The API server's fields (uid,
     * resourceVersion, managedFields, …) and the status are policy-api's own to set.
     */
    public static String intakeJson(ObjectMapper json, JsonNode object) {
        ObjectNode out = json.createObjectNode();
        object.properties().forEach(e -> {
            if (!e.getKey().equals("metadata") && !e.getKey().equals("status")) {
                out.set(e.getKey(), e.getValue());
            }
        });
        JsonNode m = object.path("metadata");
        ObjectNode meta = out.putObject("metadata");
        for (String f : List.of("name", "namespace", "labels")) {
            if (m.hasNonNull(f)) {
                meta.set(f, m.get(f));
            }
        }
        if (m.path("annotations").isObject()) {
            ObjectNode a = m.get("annotations").deepCopy();
            a.remove(LAST_APPLIED);
            if (!a.isEmpty()) {
                meta.set("annotations", a);
            }
        }
        // Move metadata first, as people write it (only cosmetic: the parser does not care).
        ObjectNode ordered = json.createObjectNode();
        ordered.set("apiVersion", out.get("apiVersion"));
        ordered.set("kind", out.get("kind"));
        ordered.set("metadata", meta);
        out.properties().forEach(e -> ordered.putIfAbsent(e.getKey(), e.getValue()));
        return ordered.toString();
    }

    /** The store key of a cluster object: {@code ns/name} for a CNP, {@code name} for a CCNP. */
    public static String key(PolicyKind kind, String namespace, String name) {
        return kind == PolicyKind.CNP ? namespace + "/" + name : name;
    }

    /** Status of a stored (valid) object: {@code Valid=True}, its revision, realization per node. */
    public static Map<String, Object> valid(long generation, long revision, Map<String, PolicyStatus.NodeRealized> nodes) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("conditions", List.of(condition("True", "Valid", "stored at revision " + revision, generation)));
        status.put("revision", revision);
        Map<String, Object> perNode = new LinkedHashMap<>();
        nodes.forEach((node, r) -> perNode.put(node, Map.of("revision", r.revision(), "endpoints", r.endpoints(),
                "ready", r.ready())));
        status.put("nodes", perNode);
        return status;
    }

    /**
     * Status of a refused object: {@code Valid=False} naming every error (as the REST intake's 422 does),
     * and the errors one by one with their field paths. What was stored before stays in force.
     */
    public static Map<String, Object> invalid(long generation, List<FieldError> errors) {
        Map<String, Object> status = new LinkedHashMap<>();
        String message = errors.size() + " validation error(s), the object is not in force: " + errors.stream()
                .map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
        status.put("conditions", List.of(condition("False", "Invalid", message, generation)));
        List<Map<String, String>> list = new ArrayList<>();
        for (FieldError e : errors) {
            list.add(Map.of("field", e.field(), "reason", e.reason(), "message", e.message()));
        }
        status.put("errors", list);
        return status;
    }

    private static Map<String, Object> condition(String value, String reason, String message, long generation) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "Valid");
        c.put("status", value);
        c.put("reason", reason);
        c.put("message", message);
        c.put("observedGeneration", generation);
        return c;
    }
}
