package io.portcullis.policy.identity;

import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;

/** Reserved identities 1–10 ({@code pkg/identity/numericidentity.go}), each with its {@code reserved:} labels. */
public enum ReservedIdentity {
    HOST(1, "host"),
    WORLD(2, "world"),
    UNMANAGED(3, "unmanaged"),
    HEALTH(4, "health"),
    INIT(5, "init"),
    REMOTE_NODE(6, "remote-node"),
    KUBE_APISERVER(7, "kube-apiserver", "remote-node"),
    INGRESS(8, "ingress"),
    WORLD_IPV4(9, "world-ipv4"),
    WORLD_IPV6(10, "world-ipv6");

    private final long id;
    private final String name;
    private final Labels labels;

    ReservedIdentity(long id, String name, String... extraLabels) {
        this.id = id;
        this.name = name;
        Label[] all = new Label[1 + extraLabels.length];
        all[0] = Label.reserved(name);
        for (int i = 0; i < extraLabels.length; i++) {
            all[i + 1] = Label.reserved(extraLabels[i]);
        }
        this.labels = Labels.of(all);
    }

    public long id() {
        return id;
    }

    /** The reserved name, e.g. {@code remote-node}. */
    public String reservedName() {
        return name;
    }

    public Labels labels() {
        return labels;
    }

    public Identity identity() {
        return new Identity(id, labels);
    }

    public static ReservedIdentity byId(long id) {
        for (ReservedIdentity r : values()) {
            if (r.id == id) {
                return r;
            }
        }
        return null;
    }

    /**
     * The reserved identity a label set stands for, or null ({@code LookupReservedIdentityByLabels}):
     * <ul>
     *   <li>no {@code reserved:} label → null;</li>
     *   <li>{@code reserved:host} → host, whatever else is there (the host carries extra labels);</li>
     *   <li>{@code reserved:remote-node} → kube-apiserver when {@code reserved:kube-apiserver} is there
     *       too, else remote-node;</li>
     *   <li>{@code reserved:health} → health;</li>
     *   <li>otherwise only a set of exactly one reserved label maps to that identity, so a workload cannot
     *       slip a reserved label into its set and be taken for, say, world.</li>
     * </ul>
     */
    public static ReservedIdentity lookupByLabels(Labels labels) {
        if (!labels.hasSource(Label.SOURCE_RESERVED)) {
            return null;
        }
        if (labels.contains(Label.reserved(HOST.name))) {
            return HOST;
        }
        if (labels.contains(Label.reserved(REMOTE_NODE.name))) {
            return labels.contains(Label.reserved(KUBE_APISERVER.name)) ? KUBE_APISERVER : REMOTE_NODE;
        }
        if (labels.contains(Label.reserved(HEALTH.name))) {
            return HEALTH;
        }
        if (labels.size() != 1) {
            return null;
        }
        return byName(labels.asList().get(0).key());
    }

    public static ReservedIdentity byName(String name) {
        for (ReservedIdentity r : values()) {
            if (r.name.equals(name)) {
                return r;
            }
        }
        return null;
    }
}
