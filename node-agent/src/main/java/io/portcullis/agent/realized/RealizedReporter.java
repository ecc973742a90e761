package io.portcullis.agent.realized;

import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.realized.RealizedRecord;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Publishes {@link RealizedRecord}s (key {@code node/ns/name}, revision = the endpoint's
 * {@code policyRevision}) on the {@code realized-out} channel whenever the realized state changes, and
 * tombstones them for endpoints that no longer have a map. Starts once the replay is done, so a restart
 * republishes only differences.
 *
 * <p><b>Concurrency contract:</b> {@link #publishDue} is synchronized, so reports for one endpoint reach
 * the emitter (and the partition) in the order they were computed.
 */
@ApplicationScoped
public class RealizedReporter {

    private static final Logger LOG = Logger.getLogger(RealizedReporter.class);

    private final NodeState state;
    private final RealizedReports reports;
    private final Emitter<Record<String, byte[]>> emitter;
    private volatile boolean active;

    public RealizedReporter(NodeState state, RealizedReports reports,
                            @Channel("realized-out") Emitter<Record<String, byte[]>> emitter) {
        this.state = state;
        this.reports = reports;
        this.emitter = emitter;
        state.onChange(this::publishDue);
    }

    public void activate() {
        active = true;
        publishDue();
    }

    /** Retries failed sends even when nothing changes (e.g. after a broker outage). */
    @Scheduled(every = "${portcullis.agent.realized-resync}", delayed = "${portcullis.agent.realized-resync}")
    void resync() {
        publishDue();
    }

    synchronized void publishDue() {
        if (!active) {
            return;
        }
        for (RealizedReports.Report r : reports.due(state.snapshot())) {
            String key = state.node() + "/" + r.id();
            byte[] value = r.revision() == null ? null
                    : MeshJson.encode(RealizedRecord.of(state.node(), r.id(), r.revision()));
            try {
                emitter.send(Record.of(key, value)).whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.warnf("cannot report %s realized at %s: %s", key, r.revision(), e.getMessage());
                        reports.failed(r);
                    }
                });
            } catch (RuntimeException e) { // emitter buffer full or channel down
                LOG.warnf("cannot report %s realized at %s: %s", key, r.revision(), e.getMessage());
                reports.failed(r);
            }
        }
    }
}
