package io.portcullis.policy.selector;

import io.portcullis.policy.labels.CidrLabels;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.util.List;

/**
 * One requirement of a selector ({@code pkg/policy/types/requirements.go}). The key carries a label
 * source: {@code any} matches that key from every source; {@code cidr} matches CIDR-aware, so
 * {@code cidr:10.0.0.0/8} "exists" for an identity labelled {@code cidr:10.1.2.3/32}.
 */
public record Requirement(String source, String key, Operator operator, List<String> values) {

    public Requirement {
        values = values == null ? List.of() : List.copyOf(values);
    }

    public static Requirement equal(String source, String key, String value) {
        return new Requirement(source, key, Operator.IN, List.of(value));
    }

    public static Requirement exists(String source, String key) {
        return new Requirement(source, key, Operator.EXISTS, List.of());
    }

    public static Requirement doesNotExist(String source, String key) {
        return new Requirement(source, key, Operator.DOES_NOT_EXIST, List.of());
    }

    /** A key as written in a selector: {@code k8s:app}, {@code any:org}, or {@code app} (source {@code any}). */
    public static Requirement parse(String sourceKey, Operator op, List<String> values) {
        Label l = Label.parse(sourceKey, Label.SOURCE_ANY);
        return new Requirement(l.source(), l.key(), op, values);
    }

    public boolean matches(Labels labels) {
        Label found = lookup(labels);
        return switch (operator) {
            case IN -> found != null && values.contains(found.value());
            case NOT_IN -> found == null || !values.contains(found.value());
            case EXISTS -> found != null;
            case DOES_NOT_EXIST -> found == null;
        };
    }

    private Label lookup(Labels labels) {
        if (Label.SOURCE_CIDR.equals(source)) {
            Label selected = Label.of(source, key, "");
            for (Label l : labels) {
                if (CidrLabels.contains(selected, l)) {
                    return l;
                }
            }
            return null;
        }
        return labels.find(source, key);
    }

    @Override
    public String toString() {
        String k = source + ":" + key;
        return switch (operator) {
            case IN -> values.size() == 1 ? k + "=" + values.get(0) : k + " in " + values;
            case NOT_IN -> k + " notin " + values;
            case EXISTS -> k;
            case DOES_NOT_EXIST -> "!" + k;
        };
    }
}
