package io.portcullis.compiler.compile;

import io.portcullis.mesh.compiled.NodeRevisionRecord;

import static io.portcullis.compiler.Fixtures.allowFrom;
import static io.portcullis.compiler.Fixtures.endpoint;
import static io.portcullis.compiler.Fixtures.identity;
import static io.portcullis.compiler.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IdentityWatermarkRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The single-writer loop: gating on replay, coalescing bursts, retrying a failed publication. */
class CompileLoopTest {

    private final List<Publication> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final CompileLoop loop = new CompileLoop(p -> {
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("broker unavailable");
        }
        published.add(p);
    }, (p, s) -> {}, QUIET, Duration.ofSeconds(2)).start();

    /**
     * Longer than production's 5 ms so that a scheduling stall on a loaded CI machine between two
     * submits of a burst does not close a batch; what is tested is the batching rule, not its timing.
     */
    private static final Duration QUIET = Duration.ofMillis(200);

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void nothingIsCompiledBeforeTheReplayEndsThenEverythingOnceAndReady() throws Exception {
        addEndpoint("node-a", "deathstar", 256);
        loop.submit(policyChange(1, "rule1"));
        Thread.sleep(50);
        assertThat(published).isEmpty();
        assertThat(loop.ready()).isNotDone();

        loop.startCompiling();
        loop.ready().get(5, TimeUnit.SECONDS);
        assertThat(published).hasSize(1);
        assertThat(published.getFirst().records()).extracting(Publication.Out::key)
                .containsExactly("node-a/default/deathstar", "node-a/*");
        assertThat(loop.state().revision()).isEqualTo(1);
    }

    @Test
    void aBurstOfAppliesIsCoalescedIntoFewPublications() throws Exception {
        for (int i = 0; i < 20; i++) {
            addEndpoint("node-" + (i % 4), "ep" + i, 300 + i);
        }
        loop.startCompiling();
        loop.ready().get(5, TimeUnit.SECONDS);
        published.clear();

        for (int rev = 1; rev <= 200; rev++) {
            loop.submit(policyChange(rev, "rule" + (rev % 10)));
        }
        awaitRevision(200);

        // 200 applies × 20 endpoints would be 4,000 records one by one; coalesced, a few batches.
        assertThat(published.size()).isLessThan(20);
        int records = published.stream().mapToInt(p -> p.records().size()).sum();
        assertThat(records).isLessThan(20 * 24);
        NodeRevisionRecord last = (NodeRevisionRecord) published.getLast().records().getLast().value();
        assertThat(last.revision()).isEqualTo(200);
    }

    @Test
    void aFailedPublicationIsRetriedWholeBeforeAnythingNewer() throws Exception {
        addEndpoint("node-a", "deathstar", 256);
        loop.startCompiling();
        loop.ready().get(5, TimeUnit.SECONDS);
        failuresLeft.set(2);
        loop.submit(policyChange(1, "rule1"));
        loop.submit(policyChange(2, "rule2"));

        awaitRevision(2);
        // Whether both changes land in one batch depends on timing; either way the batch that failed is
        // published whole, once, before anything newer: revisions after the initial publication rise
        // strictly, each publication carries its endpoint record with the watermark's revision.
        List<Publication> afterReady = published.subList(1, published.size());
        assertThat(afterReady).hasSizeBetween(1, 2);
        List<Long> watermarks = afterReady.stream()
                .map(p -> ((NodeRevisionRecord) p.records().getLast().value()).revision()).toList();
        assertThat(watermarks).isSorted().doesNotHaveDuplicates().endsWith(2L);
        for (Publication p : afterReady) {
            EndpointPolicyRecord r = (EndpointPolicyRecord) p.records().getFirst().value();
            assertThat(r.revision()).isEqualTo(((NodeRevisionRecord) p.records().getLast().value()).revision());
        }
        assertThat(failuresLeft.get()).isNegative();
    }

    @Test
    void withTheIdentityHoldARevisionIsStampedOnlyOnceIdentityServiceVouchesForIt() throws Exception {
        CompileLoop held = new CompileLoop(published::add, (p, s) -> {}, QUIET, Duration.ofSeconds(2), true).start();
        try {
            EndpointRecord ep = endpoint("node-a", "default", "deathstar", Map.of("class", "deathstar", "org", "empire"),
                    List.of(), Map.of());
            held.submit(new Change.Identity(256, IdentityRecord.of(identity(256, ep))));
            held.submit(new Change.Endpoint(ep.key(), ep));
            held.submit(new Change.EndpointIdentity(ep.key(), EndpointIdentityRecord.of(ep.key(), 256)));
            held.submit(IdentityWatermarkRecord.of(0, 1, 0, Map.of()));
            held.startCompiling();
            held.ready().get(5, TimeUnit.SECONDS);

            held.submit(IdentityHoldTest.cidrPolicy(1));
            Thread.sleep(3 * QUIET.toMillis());
            assertThat(held.heldPolicies()).isEqualTo(1);
            assertThat(held.state().revision()).isZero();

            // the watermark relies on an ipcache record at offset 0 the compiler has not consumed yet
            held.submit(IdentityWatermarkRecord.of(0, 1, 1, Map.of(NodeRevisionRecord.IPCACHE, Map.of(0, 1L))));
            Thread.sleep(3 * QUIET.toMillis());
            assertThat(held.state().revision()).isZero();

            held.submit(new Change.InputOffset(NodeRevisionRecord.IPCACHE, 0, 1));
            awaitRevision(1);
            assertThat(held.heldPolicies()).isZero();
        } finally {
            held.close();
        }
    }

    private void addEndpoint(String node, String name, long id) {
        EndpointRecord ep = endpoint(node, "default", name, Map.of("class", "deathstar", "org", "empire"), List.of(),
                Map.of());
        loop.submit(new Change.Identity(id, IdentityRecord.of(identity(id, ep))));
        loop.submit(new Change.Endpoint(ep.key(), ep));
        loop.submit(new Change.EndpointIdentity(ep.key(), EndpointIdentityRecord.of(ep.key(), id)));
    }

    /** A policy selecting every test endpoint; each name admits another port, so each apply changes maps. */
    private static Change policyChange(long revision, String name) {
        var p = policy(allowFrom(name, "deathstar", "empire", (int) (1000 + revision)));
        return new Change.Policy(p.key(), PolicyEvent.Applied.of(revision, p));
    }

    private void awaitRevision(long revision) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!published.isEmpty() && published.getLast().records().getLast().value() instanceof NodeRevisionRecord w
                    && w.revision() == revision) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no watermark at revision " + revision + "; published " + published.size());
    }
}
