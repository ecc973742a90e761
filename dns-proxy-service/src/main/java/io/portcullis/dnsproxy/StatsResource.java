package io.portcullis.dnsproxy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Counters of the proxy, and the hold's release times (p50/p99 over the last samples). */
@Path("/v1/dns-proxy/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    private final DnsProxyService service;

    public StatsResource(DnsProxyService service) {
        this.service = service;
    }

    @GET
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>(service.stats().toMap());
        m.put("udpPort", service.udpPort());
        m.put("tcpPort", service.tcpPort());
        m.put("rulesReplayed", service.rules().isReplayed());
        m.put("endpointAddresses", service.rules().view().endpointAddresses());
        return m;
    }

    /** Starts the hold's release-time samples over (a bench measures one run). */
    @POST
    @Path("/reset-hold-samples")
    public void resetHoldSamples() {
        service.stats().resetHoldSamples();
    }
}
