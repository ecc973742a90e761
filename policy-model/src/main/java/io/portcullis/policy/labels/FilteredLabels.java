package io.portcullis.policy.labels;

import java.util.Objects;

/**
 * The result of {@link LabelFilter#filter}: the identity-relevant labels, which decide the identity, and
 * the information labels, which are kept for display only.
 */
public record FilteredLabels(Labels identity, Labels info) {

    public FilteredLabels {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(info, "info");
    }
}
