package io.portcullis.policy.identity;

/**
 * The numeric identity layout (CILIUM-SEMANTICS §5.1, {@code pkg/identity/numericidentity.go}). An
 * identity is an unsigned 32-bit number held in a {@code long}; its top 8 bits are the scope:
 * <ul>
 *   <li>{@code 0x00} global and reserved: 1–255 reserved/well-known, 256+ allocated per cluster;</li>
 *   <li>{@code 0x01} local: CIDR, FQDN and cidrgroup identities, {@code 0x01000001}–{@code 0x01FFFFFF};</li>
 *   <li>{@code 0x02} remote-node local identities.</li>
 * </ul>
 * In the global scope the low 24 bits split into a cluster ID and a cluster-local number (ClusterMesh):
 * with {@code maxConnectedClusters} 255 the cluster ID has 8 bits (shift 16), with 511 it has 9 bits
 * (shift 15).
 */
public final class NumericIdentity {

    public static final long INVALID = 0;
    /** Bits below the scope byte. */
    public static final int BIT_LENGTH = 24;
    public static final long SCOPE_MASK = 0xFF00_0000L;
    public static final long SCOPE_GLOBAL = 0;
    public static final long SCOPE_LOCAL = 1L << 24;
    public static final long SCOPE_REMOTE_NODE = 2L << 24;
    /** Cilium's name for the local scope bit that is OR'ed into local allocator numbers. */
    public static final long LOCAL_IDENTITY_FLAG = SCOPE_LOCAL;
    public static final long MIN_LOCAL = SCOPE_LOCAL | 1;
    public static final long MAX_LOCAL = SCOPE_LOCAL | 0xFF_FFFF;
    public static final long MIN_REMOTE_NODE = SCOPE_REMOTE_NODE | 1;
    public static final long MAX_REMOTE_NODE = SCOPE_REMOTE_NODE | 0xFF_FFFF;
    /** First identity users may reserve ({@code AddUserDefinedNumericIdentity}). */
    public static final long USER_RESERVED_MIN = 128;
    /** First identity the allocator hands out in cluster 0. */
    public static final long MINIMAL_ALLOCATION = 256;
    public static final int DEFAULT_MAX_CONNECTED_CLUSTERS = 255;
    public static final int EXTENDED_MAX_CONNECTED_CLUSTERS = 511;

    private NumericIdentity() {
    }

    public static long scope(long id) {
        return id & SCOPE_MASK;
    }

    public static boolean hasLocalScope(long id) {
        return scope(id) == SCOPE_LOCAL;
    }

    public static boolean hasRemoteNodeScope(long id) {
        return scope(id) == SCOPE_REMOTE_NODE;
    }

    public static boolean hasGlobalScope(long id) {
        return scope(id) == SCOPE_GLOBAL;
    }

    /** Reserved and well-known identities: 1–255. */
    public static boolean isReserved(long id) {
        return id > INVALID && id < MINIMAL_ALLOCATION;
    }

    /** Bits of the cluster ID: log2(maxConnectedClusters + 1), i.e. 8 or 9. */
    public static int clusterIdBits(int maxConnectedClusters) {
        checkMaxConnectedClusters(maxConnectedClusters);
        return Integer.numberOfTrailingZeros(maxConnectedClusters + 1);
    }

    /** Bits a cluster ID is shifted by: 24 − {@link #clusterIdBits}, i.e. 16 or 15. */
    public static int clusterIdShift(int maxConnectedClusters) {
        return BIT_LENGTH - clusterIdBits(maxConnectedClusters);
    }

    /** The cluster ID encoded in a global identity: {@code (id >> shift) & maxConnectedClusters}. */
    public static long clusterId(long id, int maxConnectedClusters) {
        return (id >>> clusterIdShift(maxConnectedClusters)) & maxConnectedClusters;
    }

    /**
     * First identity cluster {@code clusterId} allocates: {@code clusterId << shift}, except cluster 0
     * which starts at 256 so reserved identities stay free.
     */
    public static long minAllocation(long clusterId, int maxConnectedClusters) {
        checkClusterId(clusterId, maxConnectedClusters);
        return clusterId == 0 ? MINIMAL_ALLOCATION : clusterId << clusterIdShift(maxConnectedClusters);
    }

    /** Last identity cluster {@code clusterId} allocates: {@code ((clusterId + 1) << shift) − 1}. */
    public static long maxAllocation(long clusterId, int maxConnectedClusters) {
        checkClusterId(clusterId, maxConnectedClusters);
        return ((clusterId + 1) << clusterIdShift(maxConnectedClusters)) - 1;
    }

    private static void checkMaxConnectedClusters(int maxConnectedClusters) {
        if (maxConnectedClusters != DEFAULT_MAX_CONNECTED_CLUSTERS
                && maxConnectedClusters != EXTENDED_MAX_CONNECTED_CLUSTERS) {
            throw new IllegalArgumentException(
                    "maxConnectedClusters must be 255 or 511, not " + maxConnectedClusters);
        }
    }

    private static void checkClusterId(long clusterId, int maxConnectedClusters) {
        checkMaxConnectedClusters(maxConnectedClusters);
        if (clusterId < 0 || clusterId > maxConnectedClusters) {
            throw new IllegalArgumentException(
                    "cluster ID " + clusterId + " out of range 0.." + maxConnectedClusters);
        }
    }
}
