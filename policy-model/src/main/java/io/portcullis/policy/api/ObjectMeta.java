package io.portcullis.policy.api;

import java.util.Map;

/** The part of Kubernetes ObjectMeta a policy carries. Unknown metadata fields are accepted and ignored. */
public record ObjectMeta(
        String name,
        String namespace,
        Map<String, String> labels,
        Map<String, String> annotations,
        String uid,
        String resourceVersion,
        Long generation,
        String creationTimestamp) {

    public ObjectMeta withNamespace(String ns) {
        return new ObjectMeta(name, ns, labels, annotations, uid, resourceVersion, generation, creationTimestamp);
    }

    public ObjectMeta withServerFields(String newUid, String newResourceVersion, Long newGeneration, String created) {
        return new ObjectMeta(name, namespace, labels, annotations, newUid, newResourceVersion, newGeneration, created);
    }
}
