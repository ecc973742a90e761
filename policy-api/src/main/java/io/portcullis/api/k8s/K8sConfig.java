package io.portcullis.api.k8s;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code portcullis.k8s.*}: the cluster watch. Off in local mode; the manifests in {@code k8s/} turn it on
 * ({@code PORTCULLIS_K8S_ENABLED=true}). The API server is quarkus-kubernetes-client's (in a pod: its
 * service account).
 */
@ConfigMapping(prefix = "portcullis.k8s")
public interface K8sConfig {

    /** Watch CNP/CCNP objects, feed them to the intake and write their status. */
    @WithDefault("false")
    boolean enabled();

    /** How often the realized part of each status is refreshed (node-agents report continuously). */
    @WithDefault("PT5S")
    Duration statusInterval();

    /** How long an object waits before it is tried again after the store was unavailable. */
    @WithDefault("PT2S")
    Duration retryDelay();
}
