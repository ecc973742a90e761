package io.portcullis.policy.labels;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds an endpoint's labels the way the Cilium agent does for a pod
 * ({@code pkg/k8s/utils}, {@code pkg/k8s/apis/cilium.io/const.go}), then splits them with a
 * {@link LabelFilter}:
 * <ul>
 *   <li>every pod label as {@code k8s:<key>=<value>};</li>
 *   <li>{@code k8s:io.kubernetes.pod.namespace=<namespace>};</li>
 *   <li>every namespace label as {@code k8s:io.cilium.k8s.namespace.labels.<key>=<value>}, including
 *       {@code kubernetes.io/metadata.name=<namespace>}, which Kubernetes (1.21+) sets on every namespace
 *       and so is added when the caller did not pass it;</li>
 *   <li>{@code k8s:io.cilium.k8s.policy.serviceaccount=<sa>} when a service account is given;</li>
 *   <li>{@code k8s:io.cilium.k8s.policy.cluster=<cluster>} (default cluster name {@code default}).</li>
 * </ul>
 * A pod label key written with a source prefix ({@code "k8s:app"}, {@code "any:org"}) keeps only its key
 * part and still gets source {@code k8s}: a pod cannot claim {@code reserved:} or {@code cidr:} labels.
 * The derived labels above win over pod labels with the same key, so a pod cannot fake its namespace.
 *
 * <p>Immutable and thread-safe.
 */
public final class EndpointLabels {

    public static final String DEFAULT_CLUSTER_NAME = "default";
    public static final String POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
    public static final String NAMESPACE_LABELS_PREFIX = "io.cilium.k8s.namespace.labels.";
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    public static final String SERVICE_ACCOUNT_LABEL = "io.cilium.k8s.policy.serviceaccount";
    public static final String CLUSTER_LABEL = "io.cilium.k8s.policy.cluster";

    private static final EndpointLabels DEFAULT = new EndpointLabels(LabelFilter.defaults(), DEFAULT_CLUSTER_NAME);

    private final LabelFilter filter;
    private final String clusterName;

    public EndpointLabels(LabelFilter filter, String clusterName) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.clusterName = clusterName == null || clusterName.isEmpty() ? DEFAULT_CLUSTER_NAME : clusterName;
    }

    /** Default filter, cluster {@code default}. */
    public static EndpointLabels defaults() {
        return DEFAULT;
    }

    public String clusterName() {
        return clusterName;
    }

    /** All labels of the endpoint, before filtering. Null maps count as empty. */
    public Labels all(String namespace, Map<String, String> podLabels, Map<String, String> namespaceLabels,
            String serviceAccount) {
        Objects.requireNonNull(namespace, "namespace");
        Map<String, Label> byKey = new LinkedHashMap<>();
        if (podLabels != null) {
            podLabels.forEach((k, v) -> {
                String key = stripSource(k);
                byKey.put(key, Label.k8s(key, v));
            });
        }
        put(byKey, POD_NAMESPACE_LABEL, namespace);
        Map<String, String> nsLabels = new LinkedHashMap<>();
        nsLabels.put(NAMESPACE_NAME_LABEL, namespace);
        if (namespaceLabels != null) {
            nsLabels.putAll(namespaceLabels);
        }
        nsLabels.forEach((k, v) -> put(byKey, NAMESPACE_LABELS_PREFIX + stripSource(k), v));
        if (serviceAccount != null && !serviceAccount.isEmpty()) {
            put(byKey, SERVICE_ACCOUNT_LABEL, serviceAccount);
        }
        put(byKey, CLUSTER_LABEL, clusterName);
        return Labels.of(byKey.values());
    }

    /** The endpoint's labels split into identity labels and information labels. */
    public FilteredLabels filtered(String namespace, Map<String, String> podLabels,
            Map<String, String> namespaceLabels, String serviceAccount) {
        return filter.filter(all(namespace, podLabels, namespaceLabels, serviceAccount));
    }

    /** Only the identity-relevant labels: what the identity allocator is given. */
    public Labels identityLabels(String namespace, Map<String, String> podLabels,
            Map<String, String> namespaceLabels, String serviceAccount) {
        return filtered(namespace, podLabels, namespaceLabels, serviceAccount).identity();
    }

    private static void put(Map<String, Label> byKey, String key, String value) {
        byKey.put(key, Label.k8s(key, value));
    }

    /** {@code "k8s:app"} → {@code "app"}; Kubernetes label keys never contain {@code :} themselves. */
    static String stripSource(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? key : key.substring(colon + 1);
    }
}
