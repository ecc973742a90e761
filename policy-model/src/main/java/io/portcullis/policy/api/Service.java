package io.portcullis.policy.api;

/** {@code toServices[]} item: by name or by the service's labels. */
public record Service(K8sServiceNamespace k8sService, K8sServiceSelector k8sServiceSelector) {

    public record K8sServiceNamespace(String serviceName, String namespace) {}

    public record K8sServiceSelector(EndpointSelector selector, String namespace) {}
}
