package io.portcullis.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.api.status.RealizedState;
import io.portcullis.api.store.PolicyState.Stored;
import io.portcullis.api.store.PolicyStore;
import io.portcullis.api.store.StoreException;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.api.parse.PolicySyntaxException;
import io.portcullis.policy.labels.LabelValidation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The policy intake (contract item 1). Parsing and validation are policy-model's; this class maps
 * requests onto {@link PolicyStore} and outcomes onto status codes.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "policies")
@APIResponse(responseCode = "401", description = "Missing or unknown bearer token (when auth is required)",
        content = @Content(schema = @Schema(implementation = KubeStatus.class)))
@APIResponse(responseCode = "403", description = "A viewer token on a write",
        content = @Content(schema = @Schema(implementation = KubeStatus.class)))
@APIResponse(responseCode = "503", description = "The state is still being rebuilt from Kafka, or the change could "
        + "not be stored; nothing changed", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
public class PoliciesResource {

    static final String YAML = "application/yaml";
    private static final ObjectMapper RAW = new YAMLMapper(); // YAML reads JSON too

    private final PolicyParser parser = new PolicyParser();
    private final PolicyStore store;
    private final RealizedState realized;
    private final RequestBodies bodies;
    private final PolicyMetrics metrics;

    public PoliciesResource(PolicyStore store, RealizedState realized, RequestBodies bodies, PolicyMetrics metrics) {
        this.store = store;
        this.realized = realized;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    @POST
    @Path("/policies")
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON})
    @Operation(summary = "Apply policies",
            description = "One or more YAML documents (---), a kind: List, or JSON. All or nothing: one revision for the "
                    + "whole request. Re-applying identical content stores nothing and answers its existing revision.")
    @RequestBody(content = {@Content(mediaType = YAML), @Content(mediaType = MediaType.APPLICATION_JSON)})
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Responses.Applied.class)))
    @APIResponse(responseCode = "400", description = "Not YAML/JSON, or not UTF-8",
            content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    @APIResponse(responseCode = "413", description = "Body over portcullis.policy-api.max-body-size",
            content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    @APIResponse(responseCode = "415", description = "Another content type",
            content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    @APIResponse(responseCode = "422", description = "Invalid: details.causes lists every error with its field path",
            content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    public Responses.Applied apply(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        List<CiliumPolicy> policies = parse(body, contentType);
        List<FieldError> duplicates = duplicates(policies);
        if (!duplicates.isEmpty()) {
            throw ApiException.invalid(null, null, duplicates);
        }
        PolicyStore.Result result = store.apply(policies);
        metrics.applied(result.written());
        return new Responses.Applied(result.revision(), views(result.items()));
    }

    @GET
    @Path("/policies")
    @Operation(summary = "List every policy, CNPs and CCNPs, ordered by key")
    public Responses.PolicyList list() {
        return Responses.PolicyList.of(store.revision(), views(store.list()));
    }

    @GET
    @Path("/namespaces/{namespace}/ciliumnetworkpolicies")
    @Operation(summary = "List the CNPs of a namespace")
    public Responses.PolicyList listNamespaced(@PathParam("namespace") String namespace) {
        // an impossible namespace is a caller's mistake, not an empty namespace
        List<String> bad = LabelValidation.dns1123LabelErrors(namespace);
        if (!bad.isEmpty()) {
            throw ApiException.badRequest("namespace \"" + namespace + "\": " + String.join("; ", bad), List.of());
        }
        return Responses.PolicyList.of(store.revision(), views(store.list().stream()
                .filter(s -> s.policy().policyKind() == PolicyKind.CNP && namespace.equals(s.policy().metadata().namespace()))
                .toList()));
    }

    @GET
    @Path("/ciliumclusterwidenetworkpolicies")
    @Operation(summary = "List the CCNPs")
    public Responses.PolicyList listClusterwide() {
        return Responses.PolicyList.of(store.revision(), views(store.list().stream()
                .filter(s -> s.policy().policyKind() == PolicyKind.CCNP)
                .toList()));
    }

    @GET
    @Path("/namespaces/{namespace}/ciliumnetworkpolicies/{name}")
    @Operation(summary = "Get a CNP")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PolicyObject.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    public PolicyObject getNamespaced(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return get(PolicyKind.CNP, namespace + "/" + name);
    }

    @GET
    @Path("/ciliumclusterwidenetworkpolicies/{name}")
    @Operation(summary = "Get a CCNP")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PolicyObject.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    public PolicyObject getClusterwide(@PathParam("name") String name) {
        return get(PolicyKind.CCNP, name);
    }

    @PUT
    @Path("/namespaces/{namespace}/ciliumnetworkpolicies/{name}")
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON})
    @Operation(summary = "Replace a CNP",
            description = "The body is one CNP whose name (and namespace, if given) match the path. A non-empty "
                    + "metadata.resourceVersion must be the stored one (else 409).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PolicyObject.class)))
    @APIResponse(responseCode = "400", description = "Unparsable, or name/namespace/kind disagree with the path",
            content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    @APIResponse(responseCode = "409", description = "Stale resourceVersion",
            content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    @APIResponse(responseCode = "422", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    public PolicyObject putNamespaced(@PathParam("namespace") String namespace, @PathParam("name") String name,
            byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return put(PolicyKind.CNP, namespace, name, body, contentType);
    }

    @PUT
    @Path("/ciliumclusterwidenetworkpolicies/{name}")
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON})
    @Operation(summary = "Replace a CCNP", description = "As for a CNP, without namespace.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PolicyObject.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    @APIResponse(responseCode = "409", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    @APIResponse(responseCode = "422", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    public PolicyObject putClusterwide(@PathParam("name") String name, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return put(PolicyKind.CCNP, null, name, body, contentType);
    }

    @DELETE
    @Path("/namespaces/{namespace}/ciliumnetworkpolicies/{name}")
    @Operation(summary = "Delete a CNP")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Responses.Deleted.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    public Responses.Deleted deleteNamespaced(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return delete(namespace + "/" + name);
    }

    @DELETE
    @Path("/ciliumclusterwidenetworkpolicies/{name}")
    @Operation(summary = "Delete a CCNP")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Responses.Deleted.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = KubeStatus.class)))
    public Responses.Deleted deleteClusterwide(@PathParam("name") String name) {
        return delete(name);
    }

    private PolicyObject get(PolicyKind kind, String key) {
        return store.get(key)
                .filter(s -> s.policy().policyKind() == kind)
                .map(s -> PolicyObject.of(s, realized))
                .orElseThrow(() -> new StoreException.NotFound(
                        kind.kindName() + " " + key + " not found"));
    }

    private Responses.Deleted delete(String key) {
        long revision = store.delete(key);
        metrics.deleted();
        return new Responses.Deleted(revision);
    }

    private PolicyObject put(PolicyKind kind, String namespace, String name, byte[] body, String contentType) {
        List<CiliumPolicy> policies = parse(body, contentType);
        if (policies.size() != 1) {
            throw ApiException.badRequest("the body must be exactly one " + kind.kindName(), List.of());
        }
        CiliumPolicy p = policies.getFirst();
        if (kind == PolicyKind.CNP && !namespaceGiven(body)) {
            p = p.withMetadata(p.metadata().withNamespace(namespace)); // as Kubernetes: the URL's namespace
        }
        List<KubeStatus.Cause> mismatches = new ArrayList<>();
        if (p.policyKind() != kind) {
            mismatches.add(new KubeStatus.Cause("FieldValueInvalid", "kind " + p.kind() + " does not match the URL, which is for "
                    + kind.kindName(), "kind"));
        }
        if (!name.equals(p.metadata().name())) {
            mismatches.add(new KubeStatus.Cause("FieldValueInvalid", "the name of the object (" + p.metadata().name()
                    + ") does not match the name on the URL (" + name + ")", "metadata.name"));
        }
        if (kind == PolicyKind.CNP && !namespace.equals(p.metadata().namespace())) {
            mismatches.add(new KubeStatus.Cause("FieldValueInvalid", "the namespace of the object (" + p.metadata().namespace()
                    + ") does not match the namespace on the URL (" + namespace + ")", "metadata.namespace"));
        }
        if (!mismatches.isEmpty()) {
            throw ApiException.badRequest("the object does not match the URL", mismatches);
        }
        PolicyStore.Result result = store.update(p);
        metrics.applied(result.written());
        return PolicyObject.of(result.items().getFirst(), realized);
    }

    /** Parses and validates; a problem becomes 400 (syntax) or 422 (everything, with field paths). */
    private List<CiliumPolicy> parse(byte[] body, String contentType) {
        String text = bodies.text(body);
        ParseResult result;
        try {
            result = parser.parseAndValidate(text, contentType);
        } catch (PolicySyntaxException e) {
            throw ApiException.badRequest("the body is not valid YAML/JSON: " + e.getMessage(),
                    List.of(new KubeStatus.Cause("FieldValueInvalid", e.getMessage(), "")));
        }
        if (result.hasErrors()) {
            boolean one = result.policies().size() == 1;
            CiliumPolicy p = one ? result.policies().getFirst() : null;
            throw ApiException.invalid(one ? p.kind() : null, one && p.metadata() != null ? p.metadata().name() : null,
                    result.errors());
        }
        return result.policies();
    }

    /** Two documents of one request for the same object would make its outcome depend on their order. */
    private static List<FieldError> duplicates(List<CiliumPolicy> policies) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            Integer earlier = first.putIfAbsent(policies.get(i).key(), i);
            if (earlier != null) {
                errors.add(new FieldError("items[" + i + "].metadata.name", FieldError.DUPLICATE,
                        "the same " + policies.get(i).kind() + " as items[" + earlier + "]: " + policies.get(i).key()));
            }
        }
        return errors;
    }

    private static boolean namespaceGiven(byte[] body) {
        try {
            JsonNode ns = RAW.readTree(body).path("metadata").path("namespace");
            return ns.isTextual() && !ns.asText().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the parser has read this text already
        }
    }

    private List<PolicyObject> views(List<Stored> stored) {
        return stored.stream().map(s -> PolicyObject.of(s, realized)).toList();
    }
}
