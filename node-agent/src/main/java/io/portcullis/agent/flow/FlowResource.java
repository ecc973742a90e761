package io.portcullis.agent.flow;

import io.portcullis.agent.rest.ApiException;
import io.portcullis.mesh.flow.FlowRecord;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /v1/flows}: the node's flow records as Server-Sent Events (one JSON {@link FlowRecord} per
 * event), filtered like {@code hubble observe}. A slow reader loses flows rather than slowing the proxies.
 */
@Path("/v1/flows")
public class FlowResource {

    private final FlowHub hub;

    public FlowResource(FlowHub hub) {
        this.hub = hub;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stream flow records (SSE); filters: from, to (ns/name, IP or identity), verdict, "
            + "protocol (tcp, udp, http, kafka, dns), origin; comma-separated values; last=N replays recent ones")
    public Multi<FlowRecord> flows(@QueryParam("from") String from, @QueryParam("to") String to,
                                   @QueryParam("verdict") String verdict, @QueryParam("protocol") String protocol,
                                   @QueryParam("origin") String origin, @QueryParam("last") Integer last) {
        FlowFilter filter;
        try {
            filter = FlowFilter.parse(from, to, verdict, protocol, origin);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        if (last != null && (last < 0 || last > FlowHub.RECENT)) {
            throw new ApiException(400, "last must be between 0 and " + FlowHub.RECENT + ", got " + last);
        }
        int replay = last == null ? 0 : last;
        return Multi.createFrom().<FlowRecord>emitter(em -> {
            // Subscribe before replaying, so nothing falls between the two; a flow in both is sent twice at most.
            Runnable cancel = hub.subscribe(f -> {
                if (filter.matches(f)) {
                    em.emit(f);
                }
            });
            em.onTermination(cancel);
            if (replay > 0) {
                hub.recent(replay).stream().filter(filter::matches).forEach(em::emit);
            }
        }, BackPressureStrategy.DROP);
    }
}
