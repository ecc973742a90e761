package io.portcullis.bench;

import io.portcullis.policy.api.CiliumPolicy;
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
 * Benchmark 3, incremental changed policy: on a warmed engine with every endpoint's policy resolved,
 * one policy is replaced by an edited version (a port or a peer more; 64 policies sampled at random
 * from the 1,000, CNPs and CCNPs alike, taken round-robin) and the subjects it affects are
 * re-resolved. Target: under 5 ms. {@link #changePolicyFullRecompute} is the reference: the same
 * change, then every endpoint's policy recomputed from scratch.
 *
 * <p>Fresh state per invocation: {@link #restore()} puts the original policy back and re-resolves
 * what that invalidated, so every invocation edits a fully resolved engine. Caveat
 * ({@code Level.Invocation} javadoc): per-invocation timestamps and fixtures cost microseconds and can
 * disturb caches; negligible against calls of a millisecond or more.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@State(Scope.Benchmark)
public class IncrementalPolicyBench {

    static final int CANDIDATES = 64;

    private Cluster cluster;
    private CiliumPolicy[] originals;
    private CiliumPolicy[] edited;
    private int next;
    private int current;

    @Setup(Level.Trial)
    public void warm() {
        Workload w = Workload.generate();
        cluster = Cluster.load(w);
        cluster.resolveAll(p -> {});
        int[] sample = w.policySample(CANDIDATES);
        originals = new CiliumPolicy[sample.length];
        edited = new CiliumPolicy[sample.length];
        for (int i = 0; i < sample.length; i++) {
            originals[i] = w.policies().get(sample[i]);
            edited[i] = w.modifiedPolicy(sample[i]);
        }
    }

    @Setup(Level.Invocation)
    public void pick() {
        current = next++ % edited.length;
    }

    @Benchmark
    public int changePolicy(Blackhole bh) {
        Set<Long> affected = cluster.upsertPolicy(edited[current]);
        return cluster.resolveAffected(affected, bh::consume);
    }

    @Benchmark
    public void changePolicyFullRecompute(Blackhole bh) {
        bh.consume(cluster.upsertPolicy(edited[current]));
        cluster.recomputeAll(bh::consume);
    }

    @TearDown(Level.Invocation)
    public void restore() {
        cluster.upsertPolicy(originals[current]);
        cluster.resolveAll(p -> {});
    }
}
