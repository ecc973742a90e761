package io.portcullis.policy.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/** A Kubernetes LabelSelector whose keys may carry a Cilium label source ({@code k8s:app}, {@code any:org}). */
public record EndpointSelector(Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {

    public static EndpointSelector of(Map<String, String> matchLabels) {
        return new EndpointSelector(matchLabels, null);
    }

    /** {@code {}}: no requirements, selects every identity. Derived, so not written as JSON (no such field on input). */
    @JsonIgnore
    public boolean isWildcard() {
        return (matchLabels == null || matchLabels.isEmpty())
                && (matchExpressions == null || matchExpressions.isEmpty());
    }
}
