package io.portcullis.policy.api;

/** The two policy kinds of {@code cilium.io/v2}. */
public enum PolicyKind {
    CNP("CiliumNetworkPolicy", "ciliumnetworkpolicies"),
    CCNP("CiliumClusterwideNetworkPolicy", "ciliumclusterwidenetworkpolicies");

    public static final String API_VERSION = "cilium.io/v2";

    private final String kindName;
    private final String plural;

    PolicyKind(String kindName, String plural) {
        this.kindName = kindName;
        this.plural = plural;
    }

    /** The {@code kind:} string users write. */
    public String kindName() {
        return kindName;
    }

    /** The resource's plural, as in REST paths. */
    public String plural() {
        return plural;
    }

    public boolean namespaced() {
        return this == CNP;
    }

    /** The kind for a {@code kind:} value, or {@code null} when it is none of ours. */
    public static PolicyKind fromKindName(String kind) {
        for (PolicyKind k : values()) {
            if (k.kindName.equals(kind)) {
                return k;
            }
        }
        return null;
    }
}
