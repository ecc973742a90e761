package io.portcullis.agent.endpoint;

import java.util.List;

/**
 * {@code GET /v1/endpoints}: this node's endpoints by id.
 *
 * @param newestRevision the newest policy revision this node has seen ({@code -1}: none yet)
 */
public record EndpointList(String node, long newestRevision, List<EndpointView> items) {}
