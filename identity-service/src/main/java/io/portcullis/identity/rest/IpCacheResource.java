package io.portcullis.identity.rest;

import io.portcullis.identity.app.IdentityService;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.ip.IpAddress;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The ipcache as published on the ipcache topic: IP/prefix → identity. */
@Path("/v1/ipcache")
@Produces(MediaType.APPLICATION_JSON)
public class IpCacheResource {

    /** One entry; {@code source} is who put it there ({@code endpoint}, or {@code world} for the fallback). */
    public record EntryView(String prefix, long identity, String source) {

        static EntryView of(IpCache.Entry e) {
            return new EntryView(e.prefix().toString(), e.identity(), e.source());
        }
    }

    private final IdentityService service;

    public IpCacheResource(IdentityService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "All ipcache entries, IPv4 first, by address")
    public List<EntryView> list() {
        return service.snapshot().ipcache().list().stream().map(EntryView::of).toList();
    }

    @GET
    @Path("/{ip}")
    @Operation(summary = "Longest-prefix match for an address; the world identity when nothing matches")
    public EntryView lookup(@PathParam("ip") String ip) {
        IpAddress address;
        try {
            address = IpAddress.parse(ip);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("not an IP address: " + ip);
        }
        return EntryView.of(service.snapshot().ipcache().lookup(address));
    }
}
