package io.portcullis.compiler.rest;

import io.portcullis.compiler.compile.DesiredState;
import io.portcullis.compiler.explain.ExplainRequest;
import io.portcullis.compiler.explain.ExplainResponse;
import io.portcullis.compiler.explain.Explainer;
import io.portcullis.compiler.mesh.CompilerService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Why a flow would be allowed or denied, answered from desired (not realized) state. */
@Path("/v1/explain")
public class ExplainResource {

    private final CompilerService service;

    public ExplainResource(CompilerService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Decide a flow (the body of the node-agent's /v1/verdicts) from desired state")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ExplainResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed flow")
    @APIResponse(responseCode = "404", description = "Unknown endpoint")
    @APIResponse(responseCode = "409", description = "Endpoint without a desired policy yet")
    @APIResponse(responseCode = "503", description = "Not ready: still rebuilding from the topics")
    public Response explain(@NotNull @Valid ExplainRequest request) {
        if (!service.isReady()) {
            return ApiError.response(503, "desired state is still being rebuilt from the topics");
        }
        DesiredState s = service.state();
        try {
            return Response.ok(ExplainResponse.of(Explainer.explain(s, request), s.revision())).build();
        } catch (Explainer.ExplainException e) {
            return ApiError.response(e.status(), e.getMessage());
        }
    }
}
