package io.portcullis.identity.rest;

import io.portcullis.identity.app.IdentityService;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.NumericIdentity;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Identities as published on the identities topic, plus the reserved ones (which are never published). */
@Path("/v1/identities")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityResource {

    /** One identity; {@code scope} is {@code reserved}, {@code global} or {@code local}. */
    public record IdentityView(long id, String scope, List<String> labels) {

        static IdentityView of(Identity i) {
            String scope = i.isReserved() ? "reserved" : NumericIdentity.hasLocalScope(i.id()) ? "local" : "global";
            return new IdentityView(i.id(), scope, i.labels().asList().stream().map(Label::toString).toList());
        }
    }

    private final IdentityService service;

    public IdentityResource(IdentityService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "List identities, optionally only those carrying every given label")
    public List<IdentityView> list(@Parameter(description = "[source:]key[=value]; no source matches any source, "
            + "no '=' matches any value; repeat to require several") @QueryParam("label") List<String> labels) {
        List<Filter> filters = labels == null ? List.of() : labels.stream().map(Filter::parse).toList();
        return service.snapshot().identities().stream()
                .filter(i -> filters.stream().allMatch(f -> f.matches(i.labels())))
                .map(IdentityView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One identity by number")
    public IdentityView get(@PathParam("id") String text) {
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadRequestException("an identity is a number, not '" + text + "'");
        }
        return service.snapshot().identity(id).map(IdentityView::of)
                .orElseThrow(() -> new NotFoundException("no identity " + id));
    }

    private record Filter(Label label, boolean anyValue) {

        static Filter parse(String text) {
            Label label;
            try {
                label = Label.parseSelect(text);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("label filter '" + text + "': " + e.getMessage());
            }
            if (label.key().isBlank()) {
                throw new BadRequestException("label filter '" + text + "' has no key: [source:]key[=value]");
            }
            return new Filter(label, text.indexOf('=') < 0);
        }

        boolean matches(Labels labels) {
            for (Label l : labels) {
                if (l.key().equals(label.key())
                        && (Label.SOURCE_ANY.equals(label.source()) || l.source().equals(label.source()))
                        && (anyValue || l.value().equals(label.value()))) {
                    return true;
                }
            }
            return false;
        }
    }
}
