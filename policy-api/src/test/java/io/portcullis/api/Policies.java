package io.portcullis.api;

import java.util.UUID;

/** Request bodies for the tests; each test uses its own names, as they share one application. */
public final class Policies {

    private Policies() {}

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String cnp(String namespace, String name, String app) {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  endpointSelector:
                    matchLabels: {app: %s}
                  ingress:
                  - fromEndpoints:
                    - matchLabels: {app: client}
                    toPorts:
                    - ports:
                      - {port: "80", protocol: TCP}
                """.formatted(name, namespace, app);
    }

    public static String ccnp(String name, String app) {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumClusterwideNetworkPolicy
                metadata:
                  name: %s
                spec:
                  endpointSelector:
                    matchLabels: {app: %s}
                  egress:
                  - toEntities: [world]
                """.formatted(name, app);
    }
}
