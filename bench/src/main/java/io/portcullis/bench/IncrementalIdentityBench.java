package io.portcullis.bench;

import io.portcullis.policy.identity.Identity;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Benchmark 2, incremental add identity: on a warmed engine with every endpoint's policy resolved, a
 * new identity appears (a v4 of an app, or a new app; 64 candidates round-robin over the
 * namespaces) and the subjects it invalidates are re-resolved, the new one included. Target: under
 * 5 ms. {@link #addIdentityFullRecompute} is the reference: the same change, then every endpoint's
 * policy recomputed from scratch.
 *
 * <p>Fresh state per invocation: {@link #pick()} chooses the next candidate and {@link #restore()}
 * removes it again and re-resolves what that invalidated, so every invocation starts from the same
 * fully resolved engine. Caveat ({@code Level.Invocation} javadoc): JMH timestamps each invocation
 * separately and the fixtures run between them, which costs a few microseconds per call and can
 * disturb caches; it is negligible against calls of a millisecond or more, as these are, but figures
 * far below that would need batching instead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@State(Scope.Benchmark)
public class IncrementalIdentityBench {

    static final int CANDIDATES = 64;

    private Cluster cluster;
    private List<Identity> candidates;
    private int next;
    private Identity current;

    @Setup(Level.Trial)
    public void warm() {
        Workload w = Workload.generate();
        cluster = Cluster.load(w);
        cluster.resolveAll(p -> {});
        candidates = w.newIdentities(CANDIDATES);
    }

    @Setup(Level.Invocation)
    public void pick() {
        current = candidates.get(next++ % candidates.size());
    }

    @Benchmark
    public int addIdentity(Blackhole bh) {
        Set<Long> affected = cluster.addIdentity(current);
        return cluster.resolveAffected(affected, bh::consume);
    }

    @Benchmark
    public void addIdentityFullRecompute(Blackhole bh) {
        bh.consume(cluster.addIdentity(current));
        cluster.recomputeAll(bh::consume);
    }

    @TearDown(Level.Invocation)
    public void restore() {
        cluster.removeIdentity(current.id());
        cluster.resolveAll(p -> {}); // re-resolves exactly the invalidated subjects; the rest are cache hits
    }
}
