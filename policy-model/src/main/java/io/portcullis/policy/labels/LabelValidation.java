package io.portcullis.policy.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Label key and value validity, as Cilium checks selector labels ({@code pkg/labels/validation.go}) and
 * Kubernetes checks label keys and values ({@code IsQualifiedName}, {@code IsValidLabelValue}). Each
 * method returns the list of problems, empty when the input is valid.
 */
public final class LabelValidation {

    /** Cilium's key prefix for namespace labels; it does not count against the key's length limits. */
    public static final String NAMESPACE_LABELS_PREFIX = EndpointLabels.NAMESPACE_LABELS_PREFIX;

    private static final Pattern SOURCE = Pattern.compile("^[A-Za-z0-9]+$");
    private static final String NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern NAME = Pattern.compile("^" + NAME_FMT + "$");
    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("^" + DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*$");
    private static final Pattern DNS1123_LABEL = Pattern.compile("^" + DNS1123_LABEL_FMT + "$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^(" + NAME_FMT + ")?$");

    private LabelValidation() {}

    /**
     * A Cilium selector label key: at most one {@code :}, a source of letters and digits before it, and a
     * Kubernetes qualified name after it ({@code IsValidCiliumLabelKey}).
     */
    public static List<String> ciliumLabelKeyErrors(String key) {
        List<String> errors = new ArrayList<>();
        String[] parts = key.split(":", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            if (!SOURCE.matcher(parts[0]).matches()) {
                errors.add("label source should be a non empty string with only alphanumeric characters");
            }
            name = parts[1];
        } else {
            errors.add("a valid label key only support ':' character as a source separator with non empty value");
            return errors;
        }
        if (name.startsWith(NAMESPACE_LABELS_PREFIX)) {
            name = name.substring(NAMESPACE_LABELS_PREFIX.length());
        }
        errors.addAll(qualifiedNameErrors(name));
        return errors;
    }

    public static boolean isValidCiliumLabelKey(String key) {
        return ciliumLabelKeyErrors(key).isEmpty();
    }

    /** A Kubernetes label key: an optional DNS-1123 subdomain prefix and {@code /}, then a name of ≤ 63 characters. */
    public static List<String> qualifiedNameErrors(String key) {
        List<String> errors = new ArrayList<>();
        String[] parts = key.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errors.add("prefix part must be non-empty");
            } else {
                errors.addAll(dns1123SubdomainErrors(prefix).stream().map(m -> "prefix part " + m).toList());
            }
        } else {
            errors.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start"
                    + " and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'"
                    + " (e.g. 'example.com/MyName')");
            return errors;
        }
        if (name.isEmpty()) {
            errors.add("name part must be non-empty");
        } else {
            if (name.length() > 63) {
                errors.add("name part must be no more than 63 characters");
            }
            if (!NAME.matcher(name).matches()) {
                errors.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and"
                        + " end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')");
            }
        }
        return errors;
    }

    /** A Kubernetes label value: empty, or ≤ 63 characters of {@code [-A-Za-z0-9_.]} starting and ending alphanumeric. */
    public static List<String> labelValueErrors(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 63) {
            errors.add("must be no more than 63 characters");
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errors.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
                    + " '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or"
                    + " 'my_value', or '12345')");
        }
        return errors;
    }

    /** A lowercase RFC 1123 subdomain of ≤ 253 characters (object names, {@code cidrGroupRef}). */
    public static List<String> dns1123SubdomainErrors(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 253) {
            errors.add("must be no more than 253 characters");
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errors.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
                    + " '.', and must start and end with an alphanumeric character (e.g. 'example.com')");
        }
        return errors;
    }

    /** A lowercase RFC 1123 label of ≤ 63 characters (namespace names). */
    public static List<String> dns1123LabelErrors(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 63) {
            errors.add("must be no more than 63 characters");
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            errors.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
                    + " must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')");
        }
        return errors;
    }
}
