package io.portcullis.agent.verdict;

import io.portcullis.agent.state.EndpointState;

/**
 * How the agent resolved one side of a flow.
 *
 * @param endpoint       the local endpoint ({@code ns/name}), absent for an address that is none
 * @param ip             the address asked about, if the request gave one
 * @param identity       the identity the flow was decided with
 * @param state          the local endpoint's state (absent for remote peers)
 * @param policyRevision the revision of the map that was evaluated (absent without one)
 */
public record PeerView(String endpoint, String ip, long identity, boolean local, EndpointState state,
                       Long policyRevision) {}
