package io.portcullis.agent.verdict;

import io.portcullis.agent.flow.Audit;
import io.portcullis.agent.flow.FlowHub;
import io.portcullis.agent.flow.FlowRecords;
import io.portcullis.agent.mesh.MeshReplay;
import io.portcullis.agent.rest.ApiException;
import io.portcullis.agent.rest.RequestBodies;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeSnapshot;
import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.flow.FlowSink;
import io.portcullis.mesh.flow.FlowVerdict;
import io.portcullis.policy.verdict.Decider;
import io.portcullis.policy.verdict.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Verdicts from realized state (contract item 3): only maps this node has realized count, so answers keep
 * coming while Kafka or the control plane is down (fail-static), and an endpoint without a map is denied
 * (fail-closed). Pure computation on an immutable snapshot, so it runs on the event loop.
 */
@Path("/v1/verdicts")
@Produces(MediaType.APPLICATION_JSON)
public class VerdictResource {

    private final NodeState state;
    private final ClusterIdentities cluster;
    private final MeshReplay replay;
    private final MeterRegistry metrics;
    private final FlowSink flows;

    public VerdictResource(NodeState state, ClusterIdentities cluster, MeshReplay replay, MeterRegistry metrics,
                           FlowHub flows) {
        this.state = state;
        this.cluster = cluster;
        this.replay = replay;
        this.metrics = metrics;
        this.flows = flows;
    }

    private static LocalEndpoint local(NodeSnapshot snapshot, PeerView view) {
        return view.local() ? snapshot.endpoint(view.endpoint()) : null;
    }

    @POST
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Decide a flow: the source's egress and the destination's ingress, with L7")
    @RequestBody(content = @Content(schema = @Schema(implementation = VerdictRequest.class)))
    @APIResponse(responseCode = "400", description = "malformed request")
    @APIResponse(responseCode = "422", description = "an endpoint that is not on this node")
    @APIResponse(responseCode = "503", description = "state not replayed yet")
    public VerdictView decide(byte[] body) {
        VerdictRequest request = RequestBodies.parse(body, VerdictRequest.class);
        if (!replay.isReplayed()) {
            throw new ApiException(503, "node-agent is still replaying its state from Kafka; retry shortly");
        }
        NodeSnapshot snapshot = state.snapshot();
        FlowMapper.Mapped mapped = FlowMapper.map(request, snapshot, cluster);
        Verdict v = Decider.decide(mapped.flow());
        Audit.Outcome outcome = FlowRecords.outcome(v, local(snapshot, mapped.from()), local(snapshot, mapped.to()));
        metrics.counter("portcullis.agent.verdicts", "verdict", v.verdict().name()).increment();
        flows.accept(VerdictFlows.record(snapshot.node(), request, mapped, outcome, v.reason()));
        VerdictView view = VerdictView.of(v, mapped);
        return outcome.verdict() == FlowVerdict.AUDIT ? view.audited(outcome.policies()) : view;
    }
}
