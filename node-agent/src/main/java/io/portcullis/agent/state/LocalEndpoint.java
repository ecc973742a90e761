package io.portcullis.agent.state;

import io.portcullis.mesh.endpoint.EndpointRecord;

/**
 * One registered endpoint as verdicts and the REST views see it.
 *
 * @param identity       null until identity-service has assigned one
 * @param realized       the map verdicts use: null unless one compiled for {@code identity} is realized
 * @param policyRevision the revision {@code realized} stands for (its own, or a later node watermark
 *                       that vouches for exactly this map); null without a map
 */
public record LocalEndpoint(String id, EndpointRecord spec, Long identity, RealizedPolicy realized,
                            Long policyRevision, EndpointState state) {

    /**
     * The readiness rule (docs/mesh.md): a map applies only to the identity it was compiled for; it is
     * at {@code max(own revision, vouched)}, where {@code vouched} is the node watermark's revision when the
     * watermark lists this endpoint at a revision the realized map has reached (else -1); the endpoint is
     * ready once that reaches the newest revision the node has seen.
     */
    static LocalEndpoint of(String id, EndpointRecord spec, Long identity, RealizedPolicy map, long newestRevision,
                            long vouched) {
        if (identity == null) {
            return new LocalEndpoint(id, spec, null, null, null, EndpointState.WAITING_FOR_IDENTITY);
        }
        if (map == null || map.identity() != identity) {
            return new LocalEndpoint(id, spec, identity, null, null, EndpointState.WAITING_FOR_POLICY);
        }
        long revision = Math.max(map.revision(), vouched);
        EndpointState state = revision >= newestRevision ? EndpointState.READY : EndpointState.REGENERATING;
        return new LocalEndpoint(id, spec, identity, map, revision, state);
    }
}
