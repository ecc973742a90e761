package io.portcullis.identity.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code portcullis.identity.*}: topics, group, cluster and GC settings of identity-service. */
@ConfigMapping(prefix = "portcullis.identity")
public interface IdentityConfig {

    /** The consumer group every instance joins; its assignment of the owners topic is the ownership. */
    @WithDefault("identity-service")
    String groupId();

    /** Cluster name in {@code io.cilium.k8s.policy.cluster}. */
    @WithDefault("default")
    String clusterName();

    /** ClusterMesh cluster id: picks the global id range. */
    @WithDefault("0")
    long clusterId();

    @WithDefault("255")
    int maxConnectedClusters();

    /** How long an identity without references lives before GC frees it. */
    @WithDefault("PT30S")
    Duration gracePeriod();

    /** How often GC looks for identities past their grace period. */
    @WithDefault("PT5S")
    Duration gcInterval();

    Topics topics();

    interface Topics {
        @WithDefault("portcullis.endpoints")
        String endpoints();

        @WithDefault("portcullis.identities")
        String identities();

        @WithDefault("portcullis.endpoint-identities")
        String endpointIdentities();

        @WithDefault("portcullis.ipcache")
        String ipcache();

        @WithDefault("portcullis.identity-owners")
        String owners();

        /** IP → the toFQDNs selectors it is selected by (fqdn-cache-service): FQDN identities. */
        @WithDefault("portcullis.fqdn-selections")
        String fqdnSelections();

        /** Stored policies (policy-api): the prefixes they select by CIDR get CIDR identities. */
        @WithDefault("portcullis.policies")
        String policies();

        /** Written: per slice, the policy revision its CIDR identities account for (compiler-service holds on it). */
        @WithDefault("portcullis.identity-watermarks")
        String watermarks();
    }
}
