package io.portcullis.agent.k8s;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code portcullis.k8s.*}: the pod watch. Off in local mode (endpoints come from {@code POST
 * /v1/endpoints}); k8s/ turns it on ({@code PORTCULLIS_K8S_ENABLED=true}, the node name from the downward
 * API in {@code PORTCULLIS_NODE_NAME}).
 */
@ConfigMapping(prefix = "portcullis.k8s")
public interface PodWatchConfig {

    @WithDefault("false")
    boolean enabled();

    /**
     * Watch only this node's pods ({@code fieldSelector=spec.nodeName=<node>}), as a real API server
     * filters them. Off only for fabric8's mock server, whose watches do not filter by field.
     */
    @WithDefault("true")
    boolean nodeFieldSelector();

    /** How long a pod waits before its registration is tried again (no identity yet, broker down, …). */
    @WithDefault("PT2S")
    Duration retryDelay();
}
