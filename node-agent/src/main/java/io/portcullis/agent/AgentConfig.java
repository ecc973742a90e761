package io.portcullis.agent;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code portcullis.agent.*}; the node's name is {@code portcullis.node.name}. */
@ConfigMapping(prefix = "portcullis.agent")
public interface AgentConfig {

    /** How long a registration waits for its identity (then 504), and a deregistration for its tombstone. */
    Duration registerTimeout();

    /** How often realized records are compared with the realized state, so a failed send is retried. */
    Duration realizedResync();

    /** The topics the agent reads, replayed in this order on start. */
    Topics topics();

    interface Topics {
        String endpoints();

        String identities();

        String ipcache();

        String endpointIdentities();

        String endpointPolicies();

        String realized();
    }
}
