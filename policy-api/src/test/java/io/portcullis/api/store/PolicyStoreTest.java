package io.portcullis.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.parse.PolicyParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Revision bookkeeping and the all-or-nothing write path, without Kafka. */
class PolicyStoreTest {

    private final PolicyState state = new PolicyState();
    private final List<List<PolicyEvent>> published = new ArrayList<>();
    private final AtomicBoolean failPublish = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final AtomicInteger uids = new AtomicInteger();
    private final PolicyStore store = new PolicyStore(state, events -> {
        if (failPublish.get()) {
            throw new PolicyPublisher.PublishFailedException("broker down", null);
        }
        published.add(events);
    }, Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC), () -> "uid-" + uids.incrementAndGet(), ready::get);

    @Test
    void aRequestIsOneRevisionAndGetsServerFields() {
        PolicyStore.Result r = store.apply(List.of(cnp("a", "web"), cnp("b", "web")));

        assertThat(r.revision()).isEqualTo(1);
        assertThat(r.written()).isEqualTo(2);
        assertThat(published).hasSize(1);
        assertThat(published.getFirst()).extracting(PolicyEvent::revision).containsOnly(1L);
        var meta = store.get("ns/a").orElseThrow().policy().metadata();
        assertThat(meta.uid()).isEqualTo("uid-1");
        assertThat(meta.resourceVersion()).isEqualTo("1");
        assertThat(meta.generation()).isEqualTo(1L);
        assertThat(meta.creationTimestamp()).isEqualTo("2026-01-02T03:04:05Z");
    }

    @Test
    void identicalContentIsNotWrittenAgainAndKeepsItsRevision() {
        store.apply(List.of(cnp("a", "web")));
        store.apply(List.of(cnp("b", "web")));

        PolicyStore.Result again = store.apply(List.of(cnp("a", "web")));

        assertThat(again.revision()).isEqualTo(1);
        assertThat(again.written()).isZero();
        assertThat(published).hasSize(2);
        assertThat(store.apply(List.of(cnp("z", "web"))).revision()).isEqualTo(3); // no gap
    }

    @Test
    void generationCountsSpecChangesOnlyWhileResourceVersionCountsEveryChange() {
        store.apply(List.of(cnp("a", "web")));
        store.apply(List.of(parse(CNP.formatted("a", "  labels: {team: x}\n", "web"))));
        var labelled = store.get("ns/a").orElseThrow().policy().metadata();
        assertThat(labelled.resourceVersion()).isEqualTo("2");
        assertThat(labelled.generation()).isEqualTo(1L);
        assertThat(labelled.uid()).isEqualTo("uid-1");

        store.apply(List.of(cnp("a", "db")));
        var changed = store.get("ns/a").orElseThrow().policy().metadata();
        assertThat(changed.resourceVersion()).isEqualTo("3");
        assertThat(changed.generation()).isEqualTo(2L);
        assertThat(changed.creationTimestamp()).isEqualTo(labelled.creationTimestamp());
    }

    @Test
    void aFailedPublishChangesNothingAndItsRevisionIsNotReused() {
        store.apply(List.of(cnp("a", "web")));
        failPublish.set(true);

        assertThatThrownBy(() -> store.apply(List.of(cnp("a", "db"), cnp("b", "web"))))
                .isInstanceOf(StoreException.Unavailable.class).hasMessageContaining("broker down");
        assertThatThrownBy(() -> store.delete("ns/a")).isInstanceOf(StoreException.Unavailable.class);

        assertThat(store.list()).hasSize(1);
        assertThat(store.get("ns/a").orElseThrow().revision()).isEqualTo(1);
        assertThat(store.revision()).isEqualTo(1);
        failPublish.set(false);
        // Revisions 2 and 3 may still commit late (a timeout), so they are not handed out again.
        assertThat(store.apply(List.of(cnp("b", "web"))).revision()).isEqualTo(4);
    }

    @Test
    void updateChecksTheResourceVersionAndDeleteIsARevision() {
        store.apply(List.of(cnp("a", "web")));
        CiliumPolicy stale = withResourceVersion(cnp("a", "db"), "0");
        assertThatThrownBy(() -> store.update(stale)).isInstanceOf(StoreException.Conflict.class);
        assertThatThrownBy(() -> store.update(cnp("missing", "db"))).isInstanceOf(StoreException.NotFound.class);

        PolicyStore.Result updated = store.update(withResourceVersion(cnp("a", "db"), "1"));
        assertThat(updated.revision()).isEqualTo(2);

        assertThat(store.delete("ns/a")).isEqualTo(3);
        assertThat(store.get("ns/a")).isEmpty();
        assertThat(published.getLast()).containsExactly(PolicyEvent.Deleted.of(3, "ns/a"));
        assertThatThrownBy(() -> store.delete("ns/a")).isInstanceOf(StoreException.NotFound.class);
    }

    @Test
    void aRecreatedPolicyStartsOverWithANewUid() {
        store.apply(List.of(cnp("a", "web")));
        store.delete("ns/a");
        store.apply(List.of(cnp("a", "web")));
        var meta = store.get("ns/a").orElseThrow().policy().metadata();
        assertThat(meta.uid()).isEqualTo("uid-2");
        assertThat(meta.generation()).isEqualTo(1L);
        assertThat(meta.resourceVersion()).isEqualTo("3");
    }

    @Test
    void nothingIsServedBeforeTheStateIsRebuilt() {
        ready.set(false);
        assertThatThrownBy(() -> store.apply(List.of(cnp("a", "web")))).isInstanceOf(StoreException.Unavailable.class);
        assertThatThrownBy(store::list).isInstanceOf(StoreException.Unavailable.class);
        assertThat(published).isEmpty();
    }

    static final String CNP = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: %s
              namespace: ns
            %s
            spec:
              endpointSelector: {matchLabels: {app: %s}}
              ingress:
              - fromEndpoints: [{matchLabels: {app: client}}]
            """;

    static CiliumPolicy cnp(String name, String app) {
        return parse(CNP.formatted(name, "", app));
    }

    private static CiliumPolicy parse(String yaml) {
        var r = new PolicyParser().parseAndValidate(yaml, "application/yaml");
        assertThat(r.errors()).isEmpty();
        return r.policies().getFirst();
    }

    private static CiliumPolicy withResourceVersion(CiliumPolicy p, String rv) {
        var m = p.metadata();
        return p.withMetadata(m.withServerFields(null, rv, null, null));
    }
}
