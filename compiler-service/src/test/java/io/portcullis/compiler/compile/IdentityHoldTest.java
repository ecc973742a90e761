package io.portcullis.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.mesh.identity.IdentityWatermarkRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.api.parse.PolicyParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policy changes wait for every slice's watermark and for the identity records it relies on. */
class IdentityHoldTest {

    private final IdentityHold hold = new IdentityHold();

    /** A policy at {@code revision} that selects {@code 10.<revision>.0.0/16} by CIDR. */
    static Change.Policy cidrPolicy(long revision) {
        var policy = new PolicyParser().parse("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: p%d, namespace: default}
                spec:
                  endpointSelector: {matchLabels: {app: a}}
                  egress:
                  - toCIDR: [10.%d.0.0/16]
                """.formatted(revision, revision)).policies().getFirst();
        return new Change.Policy(policy.key(), PolicyEvent.Applied.of(revision, policy));
    }

    private static Change.Policy deleted(long revision) {
        return new Change.Policy("default/p" + revision, PolicyEvent.Deleted.of(revision, "default/p" + revision));
    }

    private static IdentityWatermarkRecord wm(int slice, long revision, long identitiesNext, long ipcacheNext) {
        return IdentityWatermarkRecord.of(slice, 2, revision, Map.of(NodeRevisionRecord.IDENTITIES, Map.of(0, identitiesNext),
                NodeRevisionRecord.IPCACHE, Map.of(0, ipcacheNext)));
    }

    private List<Long> released() {
        return hold.releasable().stream().map(c -> c.event().revision()).toList();
    }

    @Test
    void aRevisionLeavesOnceEverySliceVouchesForItAndItsRecordsWereConsumed() {
        hold.offer(cidrPolicy(1));
        hold.offer(cidrPolicy(2));
        assertThat(released()).as("no watermark yet").isEmpty();

        hold.watermark(wm(0, 2, 0, 0));
        assertThat(released()).as("slice 1 has not vouched").isEmpty();

        hold.watermark(wm(1, 1, 5, 3));
        assertThat(released()).as("slice 1's ipcache entry at offset 2 not consumed").isEmpty();

        hold.consumed(NodeRevisionRecord.IDENTITIES, 0, 5);
        hold.consumed(NodeRevisionRecord.IPCACHE, 0, 3);
        assertThat(released()).containsExactly(1L);
        assertThat(hold.size()).isEqualTo(1);

        hold.watermark(wm(1, 2, 5, 4));
        assertThat(released()).isEmpty();
        hold.consumed(NodeRevisionRecord.IPCACHE, 0, 4);
        assertThat(released()).containsExactly(2L);
        assertThat(hold.clearedRevision()).isEqualTo(2);
    }

    @Test
    void changesLeaveInArrivalOrderCompactedKeysIncluded() {
        hold.offer(cidrPolicy(3));
        Change.Policy compacted = new Change.Policy("default/old", null);
        hold.offer(compacted);
        hold.offer(deleted(4));
        hold.offer(cidrPolicy(5));
        assertThat(hold.releasable()).as("a delete needs nothing, but waits behind 3").isEmpty();
        hold.watermark(wm(0, 3, 0, 0));
        hold.watermark(wm(1, 3, 0, 0));

        assertThat(hold.releasable()).containsExactly(cidrPolicy(3), compacted, deleted(4));
        assertThat(hold.size()).isEqualTo(1);
    }

    @Test
    void aChangeWhosePrefixesAreAllKnownNeedsNoWatermark() {
        hold.identity(16777217, true);
        hold.ipcache("10.6.0.0/16", 16777217L);
        hold.offer(cidrPolicy(6));
        hold.offer(deleted(7));
        assertThat(released()).containsExactly(6L, 7L);

        // an entry whose identity the compiler has not read yet does not count
        hold.ipcache("10.8.0.0/16", 16777218L);
        hold.offer(cidrPolicy(8));
        assertThat(released()).isEmpty();
        hold.identity(16777218, true);
        assertThat(released()).containsExactly(8L);

        // nor does an entry that went away
        hold.ipcache("10.6.0.0/16", null);
        hold.offer(cidrPolicy(6));
        assertThat(released()).isEmpty();
    }

    @Test
    void atStartTheReplayedWatermarksCountAsCovered() {
        hold.offer(cidrPolicy(9));
        hold.watermark(wm(0, 9, 100, 100)); // offsets a compaction may have made unreachable
        hold.watermark(wm(1, 9, 100, 100));
        assertThat(released()).isEmpty();

        hold.coverAll();
        assertThat(released()).containsExactly(9L);
    }
}
