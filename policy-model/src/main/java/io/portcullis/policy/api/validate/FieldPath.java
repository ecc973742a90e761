package io.portcullis.policy.api.validate;

/** A field path as users see it in errors: {@code spec.ingress[0].toPorts[1].ports[0].port}. */
public record FieldPath(String value) {

    public static final FieldPath ROOT = new FieldPath("");

    public static FieldPath of(String value) {
        return new FieldPath(value);
    }

    public FieldPath child(String name) {
        return new FieldPath(value.isEmpty() ? name : value + "." + name);
    }

    public FieldPath index(int i) {
        return new FieldPath(value + "[" + i + "]");
    }

    /** A map entry, Kubernetes style: {@code matchLabels[app]}. */
    public FieldPath key(String key) {
        return new FieldPath(value + "[" + key + "]");
    }

    @Override
    public String toString() {
        return value;
    }
}
