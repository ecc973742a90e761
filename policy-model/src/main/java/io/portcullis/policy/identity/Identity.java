package io.portcullis.policy.identity;

import io.portcullis.policy.labels.Labels;
import java.util.Objects;

/** A numeric security identity and the identity-relevant labels it stands for. */
public record Identity(long id, Labels labels) {

    public Identity {
        Objects.requireNonNull(labels, "labels");
    }

    /** Identities 1–255: reserved and well-known (§5.1). */
    public boolean isReserved() {
        return id > 0 && id < 256;
    }

    /** Local scope {@code 0x01000000+}: CIDR and FQDN identities, node-local. */
    public boolean isLocal() {
        return (id >>> 24) == 1;
    }

    @Override
    public String toString() {
        return id + labels.toString();
    }
}
