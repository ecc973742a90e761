package io.portcullis.policy.engine;

/**
 * Agent-wide settings that change how policies translate.
 *
 * @param clusterName         the local cluster's name, carried by every endpoint as
 *                            {@code k8s:io.cilium.k8s.policy.cluster} and selected by the {@code cluster} entity
 * @param scopePeersToCluster {@code --policy-default-local-cluster}: peer selectors only select the local
 *                            cluster (Cilium 1.19 default true; off here, as we run one cluster)
 */
public record EngineConfig(String clusterName, boolean scopePeersToCluster) {

    public static final EngineConfig DEFAULT = new EngineConfig("default", false);
}
