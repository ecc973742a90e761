package io.portcullis.compiler.rest;

import io.portcullis.compiler.compile.DesiredState;
import io.portcullis.compiler.compile.EndpointView;
import io.portcullis.compiler.mesh.CompilerService;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Desired state, as last published: the endpoints the compiler knows and their desired policies. */
@Path("/v1/endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class EndpointsResource {

    private final CompilerService service;

    public EndpointsResource(CompilerService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Known endpoints with their identity and desired revision")
    public List<EndpointSummary> list() {
        DesiredState s = service.state();
        return s.endpointList().stream().map(v -> EndpointSummary.of(v, s.revision())).toList();
    }

    @GET
    @Path("/{node}/{namespace}/{name}/policy")
    @Operation(summary = "The desired policy of an endpoint: map entries and L4/L7 filters, as published")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EndpointPolicyRecord.class)))
    @APIResponse(responseCode = "404", description = "Unknown endpoint, or no desired policy yet")
    public Response policy(@PathParam("node") String node, @PathParam("namespace") String namespace,
            @PathParam("name") String name) {
        String key = node + "/" + namespace + "/" + name;
        EndpointView v = service.state().endpoints().get(key);
        if (v == null) {
            return ApiError.response(404, "unknown endpoint " + key);
        }
        if (v.compiled() == null) {
            return ApiError.response(404, "endpoint " + key + " has no desired policy yet"
                    + (v.identity() == null ? " (no identity assigned)" : " (identity " + v.identity() + " not known yet)"));
        }
        return Response.ok(v.compiled().record()).build();
    }
}
