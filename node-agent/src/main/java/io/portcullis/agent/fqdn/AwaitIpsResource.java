package io.portcullis.agent.fqdn;

import io.portcullis.agent.rest.ApiException;
import io.portcullis.agent.rest.RequestBodies;
import io.portcullis.agent.state.NodeState;
import io.portcullis.policy.ip.IpAddress;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The node-local "hold the DNS answer until the learned IPs are enforced" call used by dns-proxy-service and
 * fqdn-cache-service. Answers as soon as every address is realized for the endpoint
 * ({@link IpRealization}), or with {@code realized: false} once {@code timeoutMs} passed.
 */
@Path("/v1/endpoints/{namespace}/{name}/await-ips")
@Produces(MediaType.APPLICATION_JSON)
public class AwaitIpsResource {

    /** The longest a caller may hold a request here. */
    static final long MAX_TIMEOUT_MS = 60_000;
    private static final long POLL_MS = 5;

    private final NodeState state;
    private final IpRealization realization;

    public AwaitIpsResource(NodeState state, IpRealization realization) {
        this.state = state;
        this.realization = realization;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Wait until learned addresses are realized for a local endpoint")
    @APIResponse(responseCode = "200", description = "realized true, or false when the timeout passed first")
    @APIResponse(responseCode = "400", description = "bad body: ips missing, not addresses, bad timeoutMs")
    @APIResponse(responseCode = "404", description = "unknown endpoint")
    public AwaitIpsResponse await(@PathParam("namespace") String namespace, @PathParam("name") String name, byte[] body)
            throws InterruptedException {
        AwaitIpsRequest req = RequestBodies.parse(body, AwaitIpsRequest.class);
        if (req.ips() == null || req.ips().isEmpty()) {
            throw new ApiException(400, "ips: at least one address is required");
        }
        List<IpAddress> ips = new ArrayList<>();
        for (int i = 0; i < req.ips().size(); i++) {
            String ip = req.ips().get(i);
            try {
                ips.add(IpAddress.parse(ip));
            } catch (RuntimeException e) {
                throw new ApiException(400, "ips[" + i + "]: not an IP address: " + ip);
            }
        }
        long timeoutMs = req.timeoutMs() == null ? 100 : req.timeoutMs();
        if (timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
            throw new ApiException(400, "timeoutMs: must be between 0 and " + MAX_TIMEOUT_MS);
        }
        String id = namespace + "/" + name;
        if (state.snapshot().endpoint(id) == null) {
            throw new ApiException(404, "no local endpoint " + id);
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            AwaitIpsResponse r = realization.check(id, ips);
            long left = deadline - System.nanoTime();
            if (r.realized() || left <= 0) {
                return r;
            }
            Thread.sleep(Math.max(1, Math.min(POLL_MS, left / 1_000_000)));
        }
    }
}
