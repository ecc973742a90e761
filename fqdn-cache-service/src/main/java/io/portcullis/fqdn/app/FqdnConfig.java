package io.portcullis.fqdn.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** {@code portcullis.fqdn.*}: topics, cache limits, GC and how to reach node agents. */
@ConfigMapping(prefix = "portcullis.fqdn")
public interface FqdnConfig {

    Topics topics();

    /** {@code --tofqdns-min-ttl}: a shorter answer TTL is raised to this. */
    @WithDefault("PT0S")
    Duration minTtl();

    /** {@code --tofqdns-endpoint-max-ip-per-hostname}. */
    @WithDefault("1000")
    int maxIpsPerName();

    /** Live names one endpoint may map one IP to. */
    @WithDefault("1000")
    int maxNamesPerIp();

    /** {@code --tofqdns-max-deferred-connection-deletes}. */
    @WithDefault("10000")
    int maxZombies();

    /**
     * How long an expired IP stays (as a zombie) after the GC that saw it expire or last saw a live
     * connection to it ({@code --tofqdns-idle-connection-grace-period}).
     */
    @WithDefault("PT0S")
    Duration zombieGrace();

    /** How often expired entries become zombies and dead zombies are deleted. */
    @WithDefault("PT5S")
    Duration gcInterval();

    /** How long {@code POST /v1/fqdn/observations} waits for the learned IPs to be realized (then 504). */
    @WithDefault("PT10S")
    Duration observationTimeout();

    /** How long an observation for an endpoint not in view yet waits for its registration (then 422). */
    @WithDefault("PT3S")
    Duration endpointWait();

    NodeAgent nodeAgent();

    interface Topics {
        @WithDefault("portcullis.policies")
        String policies();

        @WithDefault("portcullis.endpoints")
        String endpoints();

        @WithDefault("portcullis.fqdn-observations")
        String observations();

        @WithDefault("portcullis.fqdn-selections")
        String selections();

        /** node-agent's live connections ({@code ConnectionRecord} leases): what keeps zombies alive. */
        @WithDefault("portcullis.connections")
        String connections();
    }

    interface NodeAgent {
        /** The agent of node {@code {node}}; the local stack has one agent for every node. */
        @WithDefault("http://127.0.0.1:8086")
        String urlTemplate();

        /** Per-node overrides of the template. */
        Map<String, String> urls();
    }
}
