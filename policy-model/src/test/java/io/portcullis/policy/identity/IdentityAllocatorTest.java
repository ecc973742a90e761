package io.portcullis.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Identity allocation: reserved lookup, scopes, partitions, reference counts with grace, restore. */
class IdentityAllocatorTest {

    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static IdentityAllocator allocator() {
        return new IdentityAllocator(IdentityAllocator.Config.forPartition(0, 255, 0, 1, GRACE));
    }

    private static Labels pod(String app) {
        return Labels.of(Label.k8s("app", app), Label.k8s("io.kubernetes.pod.namespace", "default"));
    }

    @Test
    void sameLabelsSameId() {
        IdentityAllocator a = allocator();

        Identity first = a.acquire(pod("web"));
        Identity again = a.acquire(pod("web"));
        Identity other = a.acquire(pod("db"));

        assertThat(first.id()).isEqualTo(256);
        assertThat(again).isEqualTo(first);
        assertThat(other.id()).isEqualTo(257);
        assertThat(a.references(first.id())).isEqualTo(2);
        assertThat(a.byLabels(pod("web"))).contains(first);
        assertThat(a.byId(257)).contains(other);
        assertThat(a.allocated()).containsExactly(first, other);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "'',                                           5",
        "'reserved:init',                              5",
        "'reserved:world',                             2",
        "'reserved:world-ipv6',                        10",
        "'reserved:host,reserved:kube-apiserver',      1",
        "'reserved:remote-node',                       6",
        "'reserved:remote-node,reserved:kube-apiserver', 7",
        "'reserved:health,k8s:app=x',                  4",
        "'reserved:ingress',                           8",
        "'reserved:unmanaged',                         3",
    })
    void reservedLabelSetsMapToReservedIds(String labels, long id) {
        IdentityAllocator a = allocator();
        Labels set = labels.isEmpty() ? Labels.EMPTY : Labels.parse(List.of(labels.split(",")), "unspec");

        assertThat(a.acquire(set).id()).isEqualTo(id);
        assertThat(a.byLabels(set).orElseThrow().id()).isEqualTo(id);
        assertThat(a.allocated()).isEmpty();
        assertThat(a.release(set, T0)).isFalse();
    }

    @Test
    void reservedLabelMixedIntoAWorkloadGetsNoReservedId() {
        Identity id = allocator().acquire(Labels.of(Label.reserved("world"), Label.k8s("app", "x")));

        assertThat(id.id()).isGreaterThanOrEqualTo(256);
    }

    @Test
    void cidrAndFqdnLabelSetsGetLocalIds() {
        IdentityAllocator a = allocator();

        Identity cidr = a.acquire(PrefixLabels.defaults().forPrefix("10.0.0.0/8"));
        Identity fqdn = a.acquire(PrefixLabels.defaults().forFqdnIp("1.2.3.4", List.of("cilium.io")));
        Identity world = a.acquire(PrefixLabels.defaults().forPrefix("0.0.0.0/0"));

        assertThat(cidr.id()).isEqualTo(0x0100_0001L);
        assertThat(fqdn.id()).isEqualTo(0x0100_0002L);
        assertThat(cidr.isLocal()).isTrue();
        assertThat(world.id()).isEqualTo(ReservedIdentity.WORLD.id());
    }

    @Test
    void partitionsNeverCollide() {
        IdentityAllocator p0 = new IdentityAllocator(IdentityAllocator.Config.forPartition(0, 255, 0, 2, GRACE));
        IdentityAllocator p1 = new IdentityAllocator(IdentityAllocator.Config.forPartition(0, 255, 1, 2, GRACE));
        Random random = new Random(42);
        Set<Long> ids0 = new HashSet<>();
        Set<Long> ids1 = new HashSet<>();

        for (int i = 0; i < 5_000; i++) {
            // both replicas see overlapping label sets, as when a partition is reassigned
            Labels global = pod("app-" + random.nextInt(8_000));
            Labels local = PrefixLabels.defaults().forFqdnIp("10.0." + random.nextInt(256) + "." + random.nextInt(256),
                    List.of("x.example"));
            ids0.add(p0.acquire(global).id());
            ids0.add(p0.acquire(local).id());
            ids1.add(p1.acquire(pod("app-" + random.nextInt(8_000))).id());
            ids1.add(p1.acquire(PrefixLabels.defaults().forPrefix("10." + random.nextInt(256) + ".0.0/16")).id());
        }

        assertThat(ids0).hasSizeGreaterThan(5_000).doesNotContainAnyElementsOf(ids1);
        assertThat(ids0).allMatch(p0::owns).noneMatch(p1::owns);
        assertThat(ids1).allMatch(p1::owns);
        assertThat(p0.config().global()).isEqualTo(new IdentityRange(256, 256 + (65535 - 256 + 1) / 2 - 1));
        assertThat(p1.config().global().last()).isEqualTo(65535);
    }

    @Test
    void releaseFreesAfterTheGracePeriod() {
        IdentityAllocator a = allocator();
        Identity web = a.acquire(pod("web"));
        a.acquire(pod("web"));

        assertThat(a.release(pod("web"), T0)).isFalse();
        assertThat(a.release(pod("web"), T0)).isTrue();
        assertThat(a.release(pod("web"), T0)).isFalse();
        assertThat(a.gc(T0.plus(GRACE).minusSeconds(1))).isEmpty();
        assertThat(a.byId(web.id())).contains(web);

        assertThat(a.gc(T0.plus(GRACE))).containsExactly(web);
        assertThat(a.byId(web.id())).isEmpty();
        assertThat(a.byLabels(pod("web"))).isEmpty();
    }

    @Test
    void reacquireWithinGraceKeepsTheId() {
        IdentityAllocator a = allocator();
        Identity web = a.acquire(pod("web"));
        a.release(pod("web"), T0);

        assertThat(a.acquire(pod("web"))).isEqualTo(web);
        assertThat(a.gc(T0.plus(GRACE.multipliedBy(10)))).isEmpty();
        assertThat(a.references(web.id())).isEqualTo(1);
    }

    @Test
    void freedIdsAreNotReusedBeforeTheRangeWraps() {
        IdentityAllocator a = allocator();
        Identity web = a.acquire(pod("web"));
        a.release(pod("web"), T0);
        a.gc(T0.plus(GRACE));

        assertThat(a.acquire(pod("web")).id()).isEqualTo(web.id() + 1);
    }

    @Test
    void restoreThenAllocateContinuesWithoutReuse() {
        IdentityAllocator before = allocator();
        List<Identity> log = List.of(before.acquire(pod("a")), before.acquire(pod("b")), before.acquire(pod("c")),
                before.acquire(PrefixLabels.defaults().forPrefix("192.0.2.0/24")));

        IdentityAllocator after = allocator();
        log.forEach(after::restore);
        log.forEach(after::restore); // idempotent

        assertThat(after.acquire(pod("b"))).isEqualTo(log.get(1));
        assertThat(after.acquire(pod("d")).id()).isEqualTo(259);
        assertThat(after.acquire(PrefixLabels.defaults().forPrefix("198.51.100.0/24")).id()).isEqualTo(0x0100_0002L);
        assertThat(after.allocated()).hasSize(6);
    }

    @Test
    void unclaimedRestoredIdentitiesAreFreedOneGracePeriodAfterTheFirstGc() {
        IdentityAllocator a = allocator();
        Identity stale = new Identity(300, pod("gone"));
        a.restore(stale);

        assertThat(a.gc(T0)).isEmpty();
        assertThat(a.gc(T0.plus(GRACE).minusMillis(1))).isEmpty();
        assertThat(a.gc(T0.plus(GRACE))).containsExactly(stale);
    }

    @Test
    void restoreConflicts() {
        IdentityAllocator a = allocator();
        a.restore(new Identity(400, pod("x")));
        a.restore(new Identity(300, pod("x")));
        a.restore(new Identity(ReservedIdentity.HOST.id(), pod("ignored")));

        assertThat(a.byLabels(pod("x")).orElseThrow().id()).isEqualTo(300);
        assertThat(a.byId(400).orElseThrow().labels()).isEqualTo(pod("x"));
        assertThat(a.byId(1)).contains(ReservedIdentity.HOST.identity());
        assertThatThrownBy(() -> a.restore(new Identity(400, pod("y")))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void duplicateTakesOverWhenTheCanonicalIdIsFreed() {
        IdentityAllocator a = allocator();
        a.restore(new Identity(300, pod("x")));
        a.restore(new Identity(400, pod("x")));
        a.acquire(pod("x"));
        a.release(pod("x"), T0);
        a.gc(T0); // starts the grace of 400, frees nothing yet

        assertThat(a.gc(T0.plus(GRACE))).extracting(Identity::id).containsExactlyInAnyOrder(300L, 400L);
        assertThat(a.byLabels(pod("x"))).isEmpty();
    }

    @Test
    void duplicateStaysKnownWhileTheOtherIsFreed() {
        IdentityAllocator a = allocator();
        a.restore(new Identity(300, pod("x")));
        a.gc(T0);
        a.restore(new Identity(400, pod("x")));

        assertThat(a.gc(T0.plus(GRACE))).extracting(Identity::id).containsExactly(300L);
        assertThat(a.byLabels(pod("x")).orElseThrow().id()).isEqualTo(400);
    }

    @Test
    void restoringAnotherPartitionsIdDoesNotMoveTheCursor() {
        IdentityAllocator p0 = new IdentityAllocator(IdentityAllocator.Config.forPartition(0, 255, 0, 2, GRACE));
        p0.restore(new Identity(60_000, pod("elsewhere")));

        assertThat(p0.owns(60_000)).isFalse();
        assertThat(p0.acquire(pod("mine")).id()).isEqualTo(256);
        assertThat(p0.byId(60_000)).isPresent();
    }

    @Test
    void exhaustedRangeThrowsAndWrapsToFreedIds() {
        IdentityAllocator tiny = new IdentityAllocator(new IdentityAllocator.Config(
                new IdentityRange(256, 257), IdentityRange.localScope(), Duration.ZERO));
        tiny.acquire(pod("a"));
        tiny.acquire(pod("b"));

        assertThatThrownBy(() -> tiny.acquire(pod("c"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exhausted");

        tiny.release(pod("a"), T0);
        tiny.gc(T0);
        assertThat(tiny.acquire(pod("c")).id()).isEqualTo(256);
    }

    @Test
    void listHasReservedThenAllocated() {
        IdentityAllocator a = allocator();
        Identity web = a.acquire(pod("web"));

        assertThat(a.list()).hasSize(ReservedIdentity.values().length + 1).endsWith(web);
        assertThat(a.list().get(0)).isEqualTo(ReservedIdentity.HOST.identity());
    }

    @Test
    void configRejectsRangesOutsideTheirScope() {
        assertThatThrownBy(() -> new IdentityAllocator.Config(new IdentityRange(10, 300),
                IdentityRange.localScope(), GRACE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentityAllocator.Config(new IdentityRange(256, 300),
                new IdentityRange(256, 300), GRACE)).isInstanceOf(IllegalArgumentException.class);
    }
}
