package io.portcullis.agent.state;

import static io.portcullis.agent.state.Fixtures.map;
import static io.portcullis.agent.state.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.policy.ip.IpAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NodeStateTest {

    private final NodeState state = new NodeState(Fixtures.NODE);

    private LocalEndpoint a() {
        return state.snapshot().endpoint("default/a");
    }

    @Test
    void endpointGoesFromWaitingForIdentityToWaitingForPolicyToReady() {
        state.putEndpoint("default/a", spec("default/a", "127.10.0.1"));
        assertThat(a().state()).isEqualTo(EndpointState.WAITING_FOR_IDENTITY);
        assertThat(a().identity()).isNull();

        state.putIdentity("default/a", 300);
        assertThat(a().state()).isEqualTo(EndpointState.WAITING_FOR_POLICY);
        assertThat(a().realized()).isNull();
        assertThat(a().policyRevision()).isNull();

        state.putPolicy("default/a", map("default/a", 300, 4));
        assertThat(a().state()).isEqualTo(EndpointState.READY);
        assertThat(a().policyRevision()).isEqualTo(4);
        assertThat(state.snapshot().newestRevision()).isEqualTo(4);
    }

    @Test
    void aNewerRevisionSeenForAnotherEndpointMakesThisOneRegenerateUntilItsMapArrives() {
        state.putEndpoint("default/a", spec("default/a"));
        state.putEndpoint("default/b", spec("default/b"));
        state.putIdentity("default/a", 300);
        state.putIdentity("default/b", 301);
        state.putPolicy("default/a", map("default/a", 300, 4));
        state.putPolicy("default/b", map("default/b", 301, 4));

        state.putPolicy("default/b", map("default/b", 301, 5));
        assertThat(a().state()).isEqualTo(EndpointState.REGENERATING);
        assertThat(a().policyRevision()).isEqualTo(4);
        assertThat(a().realized()).as("verdicts keep using the old map").isNotNull();

        state.putPolicy("default/a", map("default/a", 300, 5));
        assertThat(a().state()).isEqualTo(EndpointState.READY);
        assertThat(a().policyRevision()).isEqualTo(5);
    }

    @Test
    void aWatermarkVouchesOnlyForTheMapsItLists() {
        state.putEndpoint("default/a", spec("default/a"));
        state.putEndpoint("default/b", spec("default/b"));
        state.putIdentity("default/a", 300);
        state.putIdentity("default/b", 301);
        state.putPolicy("default/a", map("default/a", 300, 4));

        state.watermark(NodeRevisionRecord.of("node-1", 9, Map.of("default/a", 4L, "default/b", 9L)));
        assertThat(a().state()).isEqualTo(EndpointState.READY);
        assertThat(a().policyRevision()).isEqualTo(9);
        assertThat(state.snapshot().endpoint("default/b").state()).isEqualTo(EndpointState.WAITING_FOR_POLICY);

        state.watermark(NodeRevisionRecord.of("node-1", 7, Map.of("default/a", 4L))); // older: changes nothing
        assertThat(a().policyRevision()).isEqualTo(9);

        // A watermark seen before the record it lists (another partition) does not make a ready too early.
        state.watermark(NodeRevisionRecord.of("node-1", 10, Map.of("default/a", 10L, "default/b", 9L)));
        assertThat(a().state()).isEqualTo(EndpointState.REGENERATING);
        assertThat(a().policyRevision()).isEqualTo(4);
        state.putPolicy("default/b", map("default/b", 301, 9));
        assertThat(state.snapshot().endpoint("default/b").policyRevision()).isEqualTo(10);
        state.putPolicy("default/a", map("default/a", 300, 10));
        assertThat(a().state()).isEqualTo(EndpointState.READY);
    }

    @Test
    void aMapCompiledForAnotherIdentityDoesNotApply() {
        state.putEndpoint("default/a", spec("default/a"));
        state.putIdentity("default/a", 300);
        state.putPolicy("default/a", map("default/a", 299, 4));
        assertThat(a().state()).isEqualTo(EndpointState.WAITING_FOR_POLICY);
        assertThat(a().realized()).isNull();
    }

    @Test
    void anOlderRecordForTheSameIdentityIsIgnored() {
        state.putEndpoint("default/a", spec("default/a"));
        state.putIdentity("default/a", 300);
        state.putPolicy("default/a", map("default/a", 300, 6));
        state.putPolicy("default/a", map("default/a", 300, 5));
        assertThat(a().policyRevision()).isEqualTo(6);
    }

    @Test
    void recordsArrivingBeforeTheRegistrationAreKeptUntilItArrives() {
        state.putIdentity("default/a", 300);
        state.putPolicy("default/a", map("default/a", 300, 2));
        assertThat(state.snapshot().endpoints()).isEmpty();

        state.putEndpoint("default/a", spec("default/a"));
        assertThat(a().state()).isEqualTo(EndpointState.READY);
    }

    @Test
    void deregistrationForgetsIdentityAndMapSoAReRegistrationWaitsForItsOwn() {
        state.putEndpoint("default/a", spec("default/a", "127.10.0.1"));
        state.putIdentity("default/a", 300);
        state.putPolicy("default/a", map("default/a", 300, 2));

        state.removeEndpoint("default/a");
        assertThat(state.snapshot().endpoints()).isEmpty();
        assertThat(state.snapshot().endpointAt(IpAddress.parse("127.10.0.1"))).isNull();

        state.putEndpoint("default/a", spec("default/a", "127.10.0.1"));
        assertThat(a().state()).isEqualTo(EndpointState.WAITING_FOR_IDENTITY);
    }

    @Test
    void afterReplayLeftoversOfUnregisteredEndpointsAreDropped() {
        state.putIdentity("default/gone", 300);
        state.putPolicy("default/gone", map("default/gone", 300, 2));
        state.dropUnregistered();

        state.putEndpoint("default/gone", spec("default/gone"));
        assertThat(state.snapshot().endpoint("default/gone").state()).isEqualTo(EndpointState.WAITING_FOR_IDENTITY);
        assertThat(state.snapshot().newestRevision()).as("the revisions seen stay seen").isEqualTo(2);
    }

    @Test
    void addressesFindTheirEndpointAndListenersHearEveryChange() {
        AtomicInteger changes = new AtomicInteger();
        state.onChange(changes::incrementAndGet);
        state.putEndpoint("default/a", spec("default/a", "127.10.0.1", "fd00::1"));
        assertThat(state.snapshot().endpointAt(IpAddress.parse("fd00:0::1")).id()).isEqualTo("default/a");
        assertThat(state.snapshot().endpointAt(IpAddress.parse("127.10.0.2"))).isNull();
        state.removePolicy("default/a");
        assertThat(changes).hasValue(2);
    }

    @Test
    void aCoalescingStateRunsItsListenersOffTheWriterThreadAndALaterRunSeesTheLastChange() throws Exception {
        NodeState coalescing = NodeState.coalescing(Fixtures.NODE);
        AtomicInteger runs = new AtomicInteger();
        java.util.concurrent.CountDownLatch sawLast = new java.util.concurrent.CountDownLatch(1);
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        coalescing.onChange(() -> {
            runs.incrementAndGet();
            threads.add(Thread.currentThread());
            if (coalescing.snapshot().endpoint("default/ep-499") != null) {
                sawLast.countDown();
            }
        });
        for (int i = 0; i < 500; i++) {
            coalescing.putEndpoint("default/ep-" + i, spec("default/ep-" + i, "127.10.1." + (i % 250 + 1)));
        }

        assertThat(sawLast.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(coalescing.snapshot().endpoints()).hasSize(500);
        assertThat(threads).doesNotContain(Thread.currentThread()).hasSize(1);
        assertThat(runs.get()).isPositive(); // how few depends on scheduling: not asserted
    }
}
