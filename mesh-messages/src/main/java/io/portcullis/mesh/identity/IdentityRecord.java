package io.portcullis.mesh.identity;

import io.portcullis.mesh.Versioned;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.util.List;

/** An allocated identity; key: the numeric id. Release is a tombstone. */
public record IdentityRecord(int schemaVersion, long id, List<String> labels) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    public static IdentityRecord of(Identity identity) {
        return new IdentityRecord(SCHEMA_VERSION, identity.id(),
                identity.labels().asList().stream().map(Label::toString).toList());
    }

    public Identity toIdentity() {
        return new Identity(id, Labels.of(labels.stream().map(l -> Label.parse(l)).toList()));
    }
}
