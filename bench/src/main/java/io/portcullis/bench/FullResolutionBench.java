package io.portcullis.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Benchmark 1, full resolution: a fresh engine loads the 2,000 endpoint identities (plus reserved,
 * CIDR and FQDN ones) and the 1,000 policies, then resolves the policy of every endpoint. This is a
 * compiler starting cold. Target: under 2 s.
 *
 * <p>Every invocation builds its own engine inside the measured method, so no per-invocation setup
 * is needed; generating and parsing the workload is trial setup and not measured. Single-shot: one
 * invocation takes long enough (hundreds of ms) that a timer around each is exact, and the first
 * iterations show the cold start that a real compiler restart pays.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@State(Scope.Benchmark)
public class FullResolutionBench {

    private Workload workload;

    @Setup(Level.Trial)
    public void generate() {
        workload = Workload.generate();
    }

    @Benchmark
    public void fullResolution(Blackhole bh) {
        Cluster c = Cluster.load(workload);
        c.resolveAll(bh::consume);
        bh.consume(c);
    }
}
