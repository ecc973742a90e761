package io.portcullis.policy.engine;

import io.portcullis.policy.identity.Identity;
import java.util.Map;

/**
 * What a policy is resolved for: an endpoint's identity and its named ports (ingress named ports
 * resolve against the subject's own container ports, §3.1).
 */
public record Subject(Identity identity, Map<String, Integer> namedPorts) {

    public Subject {
        namedPorts = namedPorts == null ? Map.of() : Map.copyOf(namedPorts);
    }

    public static Subject of(Identity identity) {
        return new Subject(identity, Map.of());
    }
}
