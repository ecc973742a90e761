package io.portcullis.agent.endpoint;

import io.portcullis.agent.rest.ApiException;
import io.portcullis.agent.proxy.http.ProxyListener;
import io.portcullis.agent.proxy.kafka.KafkaListener;
import io.portcullis.agent.rest.ApiException.Cause;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.labels.LabelValidation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a registration and turns it into the normalized {@link EndpointRecord} this node publishes
 * (defaults filled in, addresses in canonical form), so that re-posting the same endpoint compares equal.
 * Reports every problem at once, by field.
 */
public final class EndpointValidation {

    /** Kubernetes' IANA_SVC_NAME: what a container port name may be. */
    private static final Pattern PORT_NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
    private static final Pattern HAS_LETTER = Pattern.compile("[a-z]");
    private static final String DEFAULT = "default";

    private EndpointValidation() {}

    /** @throws ApiException 422 listing every invalid field */
    public static EndpointRecord toRecord(String node, EndpointRequest r) {
        List<Cause> causes = new ArrayList<>();
        if (r.name() == null || r.name().isEmpty()) {
            causes.add(new Cause("name", "is required"));
        } else {
            LabelValidation.dns1123SubdomainErrors(r.name()).forEach(m -> causes.add(new Cause("name", m)));
        }
        String namespace = r.namespace() == null ? DEFAULT : r.namespace();
        LabelValidation.dns1123LabelErrors(namespace).forEach(m -> causes.add(new Cause("namespace", m)));
        String serviceAccount = r.serviceAccount() == null ? DEFAULT : r.serviceAccount();
        LabelValidation.dns1123SubdomainErrors(serviceAccount)
                .forEach(m -> causes.add(new Cause("serviceAccount", m)));
        Map<String, String> labels = labels("labels", r.labels(), causes);
        Map<String, String> namespaceLabels = labels("namespaceLabels", r.namespaceLabels(), causes);
        List<String> ips = ips(r.ips(), causes);
        Map<String, Integer> namedPorts = namedPorts(r.namedPorts(), causes);
        Map<String, String> backends = backends(r.backends(), ips, causes);
        if (!causes.isEmpty()) {
            throw new ApiException(422, "invalid endpoint: " + causes.size() + " error(s)", causes);
        }
        return new EndpointRecord(EndpointRecord.SCHEMA_VERSION, node, namespace, r.name(), labels, namespaceLabels,
                serviceAccount, ips, namedPorts, backends);
    }

    /** Port → {@code host:port} (HTTP) or {@code kafka://host:port} (a Kafka broker); null when none, so endpoints without backends encode as before. */
    private static Map<String, String> backends(Map<String, String> in, List<String> ips, List<Cause> causes) {
        if (in == null || in.isEmpty()) {
            return null;
        }
        if (ips.isEmpty()) {
            causes.add(new Cause("backends", "needs ips: the proxy listens on the endpoint's addresses"));
        }
        Map<String, String> out = new TreeMap<>();
        in.forEach((port, backend) -> {
            String f = "backends." + port;
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535 || !Integer.toString(p).equals(port)) {
                causes.add(new Cause(f, "key must be a port number between 1 and 65535"));
            }
            try {
                if (KafkaListener.isKafka(backend)) {
                    KafkaListener.broker(backend);
                } else {
                    ProxyListener.Backend.parse(backend);
                }
            } catch (IllegalArgumentException e) {
                causes.add(new Cause(f, e.getMessage()));
            }
            out.put(port, backend);
        });
        return out;
    }

    private static Map<String, String> labels(String field, Map<String, String> in, List<Cause> causes) {
        Map<String, String> out = new TreeMap<>();
        if (in == null) {
            return out;
        }
        in.forEach((k, v) -> {
            String f = field + "." + k;
            LabelValidation.ciliumLabelKeyErrors(k).forEach(m -> causes.add(new Cause(f, "key: " + m)));
            if (v == null) {
                causes.add(new Cause(f, "value must be a string, not null"));
            } else {
                LabelValidation.labelValueErrors(v).forEach(m -> causes.add(new Cause(f, "value: " + m)));
            }
            out.put(k, v);
        });
        return out;
    }

    private static List<String> ips(List<String> in, List<Cause> causes) {
        Set<String> out = new LinkedHashSet<>();
        if (in == null) {
            return List.of();
        }
        for (int i = 0; i < in.size(); i++) {
            String f = "ips[" + i + "]";
            String text = in.get(i);
            if (text == null || text.contains("/")) {
                causes.add(new Cause(f, "must be a single IPv4 or IPv6 address, got " + text));
                continue;
            }
            try {
                if (!out.add(IpAddress.parse(text).toString())) {
                    causes.add(new Cause(f, "duplicate address " + text));
                }
            } catch (IllegalArgumentException e) {
                causes.add(new Cause(f, "not an IP address: " + e.getMessage()));
            }
        }
        return List.copyOf(out);
    }

    private static Map<String, Integer> namedPorts(Map<String, Integer> in, List<Cause> causes) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (in == null) {
            return out;
        }
        new TreeMap<>(in).forEach((name, port) -> {
            String f = "namedPorts." + name;
            if (name.length() > 15 || !PORT_NAME.matcher(name).matches() || name.contains("--")
                    || !HAS_LETTER.matcher(name).find()) {
                causes.add(new Cause(f, "a port name must be at most 15 lower case letters, digits and '-',"
                        + " with at least one letter, no '--', and start and end with a letter or digit"));
            }
            if (port == null || port < 1 || port > 65535) {
                causes.add(new Cause(f, "port must be between 1 and 65535, got " + port));
            }
            out.put(name, port);
        });
        return out;
    }
}
