package io.portcullis.policy.engine;

import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.selector.Requirement;
import io.portcullis.policy.selector.Selector;
import java.util.ArrayList;
import java.util.List;

/** {@code fromEntities}/{@code toEntities} → selectors ({@code pkg/policy/api/entity.go}, §2.4). */
public final class Entities {

    private Entities() {}

    /** The selectors (OR'ed) for an entity; null when the entity is unknown. */
    public static List<Selector> selectors(String entity, String clusterName) {
        return switch (entity) {
            case "all" -> List.of(Selector.WILDCARD);
            case "world" -> List.of(reserved("world"), reserved("world-ipv4"), reserved("world-ipv6"));
            case "world-ipv4", "world-ipv6", "host", "remote-node", "kube-apiserver", "ingress", "init",
                 "health", "unmanaged", "none" -> List.of(reserved(entity));
            case "cluster" -> {
                List<Selector> s = new ArrayList<>();
                for (String r : List.of("host", "remote-node", "init", "ingress", "health", "unmanaged", "kube-apiserver")) {
                    s.add(reserved(r));
                }
                s.add(Selector.of(Requirement.equal(Label.SOURCE_K8S, EndpointLabels.CLUSTER_LABEL, clusterName)));
                yield s;
            }
            default -> null;
        };
    }

    static Selector reserved(String name) {
        return Selector.of(Requirement.exists(Label.SOURCE_RESERVED, name));
    }
}
