package io.portcullis.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rows from Cilium {@code pkg/identity/numericidentity_test.go}: {@code TestClusterID},
 * {@code TestGetClusterIDShift}, {@code TestLocalIdentity}; plus the allocation ranges of §5.1.
 */
class NumericIdentityTest {

    @ParameterizedTest(name = "{0} in mesh {1} → cluster {2}")
    @CsvSource({
        "0x000000,  255, 0",
        "0x010000,  255, 1",
        "0x2A0000,  255, 42",
        "0xFF0000,  255, 255",
        "0xFF0000,  511, 510",
        "0xFF8000,  511, 511",
    })
    void clusterId(String identity, int maxConnectedClusters, long clusterId) {
        long id = Long.decode(identity);
        assertThat(NumericIdentity.clusterId(id, maxConnectedClusters)).isEqualTo(clusterId);
    }

    @Test
    void clusterIdOfMaxClusterShiftedIn() {
        assertThat(NumericIdentity.clusterId(255L << 16, 255)).isEqualTo(255);
        assertThat(NumericIdentity.clusterId(511L << 15, 511)).isEqualTo(511);
        assertThat(NumericIdentity.clusterId(0L << 16, 255)).isZero();
    }

    @ParameterizedTest(name = "clustermesh{0}")
    @CsvSource({"255, 16, 8", "511, 15, 9"})
    void clusterIdShift(int maxConnectedClusters, int shift, int bits) {
        assertThat(NumericIdentity.clusterIdShift(maxConnectedClusters)).isEqualTo(shift);
        assertThat(NumericIdentity.clusterIdBits(maxConnectedClusters)).isEqualTo(bits);
    }

    @Test
    void localIdentity() {
        assertThat(NumericIdentity.hasLocalScope(NumericIdentity.LOCAL_IDENTITY_FLAG | 1)).isTrue();
        assertThat(NumericIdentity.hasLocalScope(255 | 1)).isFalse();
        assertThat(NumericIdentity.hasLocalScope(ReservedIdentity.WORLD.id())).isFalse();
        assertThat(NumericIdentity.hasRemoteNodeScope(NumericIdentity.SCOPE_REMOTE_NODE | 7)).isTrue();
        assertThat(NumericIdentity.MIN_LOCAL).isEqualTo(0x0100_0001L);
        assertThat(NumericIdentity.MAX_LOCAL).isEqualTo(0x01FF_FFFFL);
    }

    @ParameterizedTest(name = "cluster {0} of {1}: [{2}, {3}]")
    @CsvSource({
        "0,   255, 256,      65535",
        "1,   255, 65536,    131071",
        "255, 255, 16711680, 16777215",
        "0,   511, 256,      32767",
        "1,   511, 32768,    65535",
        "511, 511, 16744448, 16777215",
    })
    void allocationRange(long clusterId, int maxConnectedClusters, long min, long max) {
        assertThat(NumericIdentity.minAllocation(clusterId, maxConnectedClusters)).isEqualTo(min);
        assertThat(NumericIdentity.maxAllocation(clusterId, maxConnectedClusters)).isEqualTo(max);
    }

    @Test
    void reservedRange() {
        assertThat(NumericIdentity.isReserved(0)).isFalse();
        assertThat(NumericIdentity.isReserved(1)).isTrue();
        assertThat(NumericIdentity.isReserved(255)).isTrue();
        assertThat(NumericIdentity.isReserved(256)).isFalse();
    }

    @Test
    void rejectsUnsupportedMeshSizes() {
        assertThatThrownBy(() -> NumericIdentity.clusterIdShift(127)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NumericIdentity.minAllocation(256, 255)).isInstanceOf(IllegalArgumentException.class);
    }
}
