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
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /v1/flows}: the node's flow records as Server-Sent Events (one JSON {@link FlowRecord} per
 * event), filtered like {@code hubble observe}. A reader that falls far behind loses flows
 * (counted in {@code portcullis.flows.subscriber.dropped}) rather than slowing the proxies.
 */
@Path("/v1/flows")
public class FlowResource {

    /** Flows one subscriber may have waiting for its SSE writer. */
    static final int BUFFER = 4096;

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
        // The SSE writer asks for one event at a time; flows arriving while it writes wait in this
        // subscriber's own bounded buffer (a reader that keeps up loses nothing), and only a reader that
        // falls BUFFER flows behind loses the newest ones, counted, rather than slowing the hub.
        AtomicInteger pending = new AtomicInteger();
        return Multi.createFrom().<FlowRecord>emitter(em -> em.onTermination(hub.subscribe(f -> {
            if (!filter.matches(f)) {
                return;
            }
            if (pending.incrementAndGet() > BUFFER) {
                pending.decrementAndGet();
                hub.droppedForSubscriber();
                return;
            }
            em.emit(f);
        }, replay)), BackPressureStrategy.BUFFER).onItem().invoke(f -> pending.decrementAndGet());
    }
}
