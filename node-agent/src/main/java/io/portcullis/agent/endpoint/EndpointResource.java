package io.portcullis.agent.endpoint;

import io.portcullis.agent.rest.RequestBodies;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeSnapshot;
import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.agent.rest.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

/**
 * Local endpoints (contract item 2). An endpoint's id is {@code namespace/name}; every per-endpoint path
 * takes it as two segments ({@code /v1/endpoints/default/client}), so the id returned by {@code POST} can
 * be appended as is. The id with an encoded slash ({@code default%2Fclient}) works too.
 */
@Path("/v1/endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class EndpointResource {

    private final NodeState state;
    private final Registrations registrations;

    public EndpointResource(NodeState state, Registrations registrations) {
        this.state = state;
        this.registrations = registrations;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a local endpoint",
            description = "Publishes it and waits for its identity. Re-posting the same spec is idempotent (200).")
    @RequestBody(content = @Content(schema = @Schema(implementation = EndpointRequest.class)))
    @APIResponse(responseCode = "201", description = "registered; carries the identity")
    @APIResponse(responseCode = "200", description = "already registered with this spec")
    @APIResponse(responseCode = "400", description = "unparsable body, unknown field")
    @APIResponse(responseCode = "409", description = "registered with another spec, or an address taken")
    @APIResponse(responseCode = "422", description = "invalid name, label, address or port")
    @APIResponse(responseCode = "504", description = "no identity from identity-service in time")
    @APIResponseSchema(EndpointView.class)
    public Response register(byte[] body) {
        EndpointRequest request = RequestBodies.parse(body, EndpointRequest.class);
        Registrations.Outcome o = registrations.register(EndpointValidation.toRecord(state.node(), request));
        return Response.status(o.created() ? 201 : 200).entity(EndpointView.of(o.endpoint())).build();
    }

    @GET
    @Operation(summary = "This node's endpoints")
    public EndpointList list() {
        NodeSnapshot s = state.snapshot();
        return new EndpointList(s.node(), s.newestRevision(), s.endpoints().values().stream()
                .sorted(Comparator.comparing(LocalEndpoint::id)).map(EndpointView::of).toList());
    }

    @GET
    @Path("{namespace}/{name}")
    @Operation(summary = "One endpoint: identity, state (ready once realized) and policyRevision")
    public EndpointView get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return EndpointView.of(find(namespace + "/" + name));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One endpoint, by its id with an encoded slash")
    public EndpointView getById(@PathParam("id") String id) {
        return EndpointView.of(find(id));
    }

    @DELETE
    @Path("{namespace}/{name}")
    @Operation(summary = "Deregister an endpoint (tombstone on the endpoints topic)")
    @APIResponse(responseCode = "204", description = "removed")
    public void delete(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        registrations.deregister(namespace + "/" + name);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Deregister an endpoint, by its id with an encoded slash")
    public void deleteById(@PathParam("id") String id) {
        registrations.deregister(id);
    }

    @GET
    @Path("{namespace}/{name}/policy")
    @Operation(summary = "The realized policy map (the EndpointPolicyRecord the node enforces)")
    @APIResponse(responseCode = "404", description = "no such endpoint, or no map realized for it yet")
    public EndpointPolicyRecord policy(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        LocalEndpoint e = find(namespace + "/" + name);
        if (e.realized() == null) {
            throw new ApiException(404, "endpoint " + e.id() + " has no realized policy map yet (" + e.state().wireName() + ")");
        }
        return e.realized().record();
    }

    private LocalEndpoint find(String id) {
        LocalEndpoint e = state.snapshot().endpoint(id);
        if (e == null) {
            throw Registrations.notFound(id);
        }
        return e;
    }
}
