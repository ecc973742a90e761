package io.portcullis.compiler.mesh;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portcullis.compiler.compile.CompileLoop;
import io.portcullis.compiler.compile.DesiredState;
import io.portcullis.compiler.compile.Publication;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** Compile count and time per flush, records published, and gauges over the last published state. */
@ApplicationScoped
public class CompilerMetrics implements CompileLoop.Listener {

    private final Counter compiles;
    private final Counter published;
    private final Timer compileTime;
    private volatile DesiredState state = DesiredState.EMPTY;

    public CompilerMetrics(MeterRegistry registry) {
        compiles = Counter.builder("portcullis.compiler.compiles")
                .description("Endpoint policies resolved again by the engine").register(registry);
        published = Counter.builder("portcullis.compiler.published.records")
                .description("Records (endpoint policies, watermarks, tombstones) published").register(registry);
        compileTime = Timer.builder("portcullis.compiler.compile.time")
                .description("Time to compute one coalesced batch of changes")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("portcullis.compiler.endpoints", this, m -> m.state.endpoints().size())
                .description("Known endpoints").register(registry);
        Gauge.builder("portcullis.compiler.endpoints.compiled", this,
                        m -> m.state.endpoints().values().stream().filter(e -> e.compiled() != null).count())
                .description("Endpoints with a desired policy").register(registry);
        Gauge.builder("portcullis.compiler.policies", this, m -> m.state.policies())
                .description("Policies in force").register(registry);
        Gauge.builder("portcullis.compiler.revision", this, m -> m.state.revision())
                .description("Highest policy revision consumed").register(registry);
    }

    @Override
    public void flushed(Publication publication, DesiredState state) {
        this.state = state;
        compiles.increment(publication.recompiled());
        published.increment(publication.records().size());
        compileTime.record(publication.nanos(), TimeUnit.NANOSECONDS);
    }
}
