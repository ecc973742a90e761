package io.portcullis.compiler.compile;

import java.util.List;
import java.util.Map;

/**
 * A known endpoint as the REST API shows it.
 *
 * @param name     {@code namespace/name}
 * @param identity null while identity-service has not assigned one
 * @param compiled null while no desired policy exists (identity not assigned or not yet known)
 */
public record EndpointView(String key, String node, String name, List<String> ips, Map<String, Integer> namedPorts,
                           Long identity, CompiledEndpoint compiled) {}
