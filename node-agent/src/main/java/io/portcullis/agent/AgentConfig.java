package io.portcullis.agent;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code portcullis.agent.*}; the node's name is {@code portcullis.node.name}. */
@ConfigMapping(prefix = "portcullis.agent")
public interface AgentConfig {

    /** How long a registration waits for its identity (then 504), and a deregistration for its tombstone. */
    Duration registerTimeout();

    /**
     * How often realized records are compared with the realized state, so a failed send is retried. Read
     * by {@code RealizedReporter}'s {@code @Scheduled} expression; declared here so a bad value fails the
     * start (and because every key under this prefix must map).
     */
    Duration realizedResync();

    /** What {@code ConnectionTracker} reports to {@code portcullis.connections}. */
    Connections connections();

    interface Connections {
        /** How often changes are published. */
        Duration reportInterval();

        /** How long a report holds without a newer one; live pairs are rewritten every third of it. */
        Duration lease();
    }

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
