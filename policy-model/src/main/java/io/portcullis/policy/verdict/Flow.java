package io.portcullis.policy.verdict;

import io.portcullis.policy.mapstate.Protocol;

/** A flow to decide: who talks to whom, on which protocol and destination port, with optional L7. */
public record Flow(Peer source, Peer destination, Protocol protocol, int port, L7Request l7) {}
