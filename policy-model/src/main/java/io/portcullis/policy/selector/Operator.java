package io.portcullis.policy.selector;

/** Label selector operators. {@code matchLabels} entries are {@link #IN} with one value. */
public enum Operator {
    IN, NOT_IN, EXISTS, DOES_NOT_EXIST;

    /** The operator for a Kubernetes {@code matchExpressions[].operator}, or null when unknown. */
    public static Operator fromK8s(String op) {
        return switch (op == null ? "" : op) {
            case "In" -> IN;
            case "NotIn" -> NOT_IN;
            case "Exists" -> EXISTS;
            case "DoesNotExist" -> DOES_NOT_EXIST;
            default -> null;
        };
    }
}
