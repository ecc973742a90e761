package io.portcullis.agent.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.portcullis.agent.endpoint.EndpointRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which pods are endpoints, and the registration a pod stands for: the same {@link EndpointRequest} a
 * {@code POST /v1/endpoints} carries, so it goes through the same validation and registration.
 */
public final class PodEndpoints {

    private static final Set<String> TERMINAL = Set.of("Succeeded", "Failed");

    private PodEndpoints() {}

    /**
     * The registration for {@code pod} on {@code node}, or empty when it is no endpoint (yet or any more):
     * another node's, host-network (it has the node's address, as in Cilium), without an address yet,
     * terminated, or being deleted.
     */
    public static Optional<EndpointRequest> request(String node, Pod pod, Namespace namespace) {
        if (pod == null || pod.getSpec() == null || !node.equals(pod.getSpec().getNodeName())
                || Boolean.TRUE.equals(pod.getSpec().getHostNetwork())
                || pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        if (pod.getStatus() == null || TERMINAL.contains(pod.getStatus().getPhase())) {
            return Optional.empty();
        }
        List<String> ips = ips(pod);
        if (ips.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Integer> namedPorts = new LinkedHashMap<>();
        for (Container c : pod.getSpec().getContainers() == null ? List.<Container>of() : pod.getSpec().getContainers()) {
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if (p.getName() != null && !p.getName().isEmpty() && p.getContainerPort() != null) {
                    namedPorts.putIfAbsent(p.getName(), p.getContainerPort());
                }
            }
        }
        String serviceAccount = pod.getSpec().getServiceAccountName();
        Map<String, String> namespaceLabels = namespace == null || namespace.getMetadata().getLabels() == null
                ? Map.of() : namespace.getMetadata().getLabels();
        return Optional.of(new EndpointRequest(pod.getMetadata().getName(), pod.getMetadata().getNamespace(),
                pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels(), namespaceLabels,
                serviceAccount == null || serviceAccount.isEmpty() ? null : serviceAccount, ips, namedPorts));
    }

    /** status.podIPs (dual stack), else status.podIP. */
    static List<String> ips(Pod pod) {
        List<String> ips = new ArrayList<>();
        if (pod.getStatus().getPodIPs() != null) {
            for (PodIP ip : pod.getStatus().getPodIPs()) {
                if (ip.getIp() != null && !ip.getIp().isEmpty() && !ips.contains(ip.getIp())) {
                    ips.add(ip.getIp());
                }
            }
        }
        String single = pod.getStatus().getPodIP();
        if (ips.isEmpty() && single != null && !single.isEmpty()) {
            ips.add(single);
        }
        return ips;
    }
}
