package io.portcullis.compiler.rest;

import io.portcullis.compiler.compile.EndpointView;
import java.util.List;

/**
 * A known endpoint: its identity (null until assigned), and when it has a desired policy, the revision that
 * policy is desired at ({@code desiredRevision}, the current one) and the revision of the record that
 * carries its map ({@code mapRevision}, older when later changes did not touch it).
 */
public record EndpointSummary(String node, String namespace, String name, List<String> ips, Long identity,
                              boolean compiled, Long desiredRevision, Long mapRevision) {

    static EndpointSummary of(EndpointView v, long revision) {
        int slash = v.name().indexOf('/');
        boolean compiled = v.compiled() != null;
        return new EndpointSummary(v.node(), v.name().substring(0, slash), v.name().substring(slash + 1), v.ips(),
                v.identity(), compiled, compiled ? revision : null, compiled ? v.compiled().revision() : null);
    }
}
