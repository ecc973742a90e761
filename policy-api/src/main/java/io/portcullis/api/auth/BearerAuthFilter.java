package io.portcullis.api.auth;

import io.portcullis.api.rest.ApiException;
import io.portcullis.api.rest.KubeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bearer-token check on the API ({@code /v1}); health, metrics and the OpenAPI document stay open for
 * probes and scrapers. Required when configured, or in {@code auto} mode when the server is bound to
 * any non-loopback address (a loopback-only server is reachable from this machine only).
 */
@ApplicationScoped
public class BearerAuthFilter {

    private static final Logger LOG = Logger.getLogger(BearerAuthFilter.class);

    private final AccessRules rules;
    private final boolean required;

    public BearerAuthFilter(AuthConfig config, @ConfigProperty(name = "quarkus.http.host") String host) {
        this.rules = new AccessRules(config.tokens().values().stream()
                .collect(Collectors.toMap(AuthConfig.Client::token, AuthConfig.Client::role, (a, b) -> a)));
        this.required = switch (config.required()) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> !loopbackOnly(host);
        };
        if (required && rules.isEmpty()) {
            LOG.warn("portcullis.auth: tokens are required but none are configured; every API request will get 401");
        }
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    void check(ContainerRequestContext request) {
        if (!required || !request.getUriInfo().getPath().startsWith("/v1")) {
            return;
        }
        switch (rules.decide(request.getMethod(), request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            case ALLOW -> { }
            case UNAUTHENTICATED -> throw new ApiException(
                    KubeStatus.failure(401, "Unauthorized", "a valid bearer token is required", null));
            case FORBIDDEN -> throw new ApiException(
                    KubeStatus.failure(403, "Forbidden", "this token may only read (role viewer)", null));
        }
    }

    static boolean loopbackOnly(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            return Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false; // cannot tell: be strict
        }
    }
}
