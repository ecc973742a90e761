package io.portcullis.fqdn.rest;

import io.portcullis.fqdn.mesh.FqdnService;
import io.portcullis.policy.fqdn.FqdnCache;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The cache as {@code cilium fqdn cache list} shows it (filters {@code endpoint} and {@code name}), its
 * flush ({@code cilium fqdn cache clean}), and the published selections.
 */
@Path("/v1/fqdn")
@Produces(MediaType.APPLICATION_JSON)
public class CacheResource {

    /** One row: endpoint, name, IP, when it expires, and whether it is a zombie (expired, not deleted yet). */
    public record Row(String endpoint, String name, String ip, Instant expiresAt, String state, Instant deleteAfter) {}

    private final FqdnService service;

    public CacheResource(FqdnService service) {
        this.service = service;
    }

    @GET
    @Path("/cache")
    public List<Row> list(@QueryParam("endpoint") String endpoint, @QueryParam("name") String name)
            throws ExecutionException, InterruptedException {
        ready();
        return service.list(blankToNull(endpoint), blankToNull(name)).stream().map(CacheResource::row).toList();
    }

    @DELETE
    @Path("/cache")
    public Map<String, Object> flush(@QueryParam("endpoint") String endpoint, @QueryParam("name") String name)
            throws ExecutionException, InterruptedException {
        ready();
        return Map.of("flushed", service.flush(blankToNull(endpoint), blankToNull(name)));
    }

    @GET
    @Path("/selections")
    public Map<String, List<String>> selections() throws ExecutionException, InterruptedException {
        ready();
        return service.selected();
    }

    private void ready() {
        if (!service.isReady()) {
            throw new ApiError(503, "fqdn-cache-service is not ready yet (replaying its topics)");
        }
    }

    private static Row row(FqdnCache.Mapping m) {
        return new Row(m.endpoint(), m.name(), m.ip(), Instant.ofEpochMilli(m.expiresAt()), m.zombie() ? "zombie" : "live",
                m.zombie() ? Instant.ofEpochMilli(m.deleteAfter()) : null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
