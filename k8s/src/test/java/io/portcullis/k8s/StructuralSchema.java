package io.portcullis.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A checker for the OpenAPI v3 subset that structural CRD schemas use (type, properties,
 * additionalProperties, items, required, enum, pattern, min/max length, minimum/maximum,
 * x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields). The API server would prune unknown
 * fields silently; here they are errors, because a pruned policy field would change what the policy means.
 */
final class StructuralSchema {

    private StructuralSchema() {}

    /** Every violation of {@code schema} by {@code value}, as {@code path: problem}; empty when it conforms. */
    static List<String> validate(JSONSchemaProps schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "", errors);
        return errors;
    }

    private static void check(JSONSchemaProps s, JsonNode v, String path, List<String> errors) {
        if (v == null || v.isNull()) {
            if (!Boolean.TRUE.equals(s.getNullable())) {
                errors.add(path + ": null is not allowed");
            }
            return;
        }
        if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
            if (!v.isIntegralNumber() && !v.isTextual()) {
                errors.add(path + ": must be an integer or a string");
            }
            return;
        }
        String type = s.getType();
        if (type == null) {
            if (!Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields())) {
                errors.add(path + ": the schema gives no type (not structural)");
            }
            return;
        }
        switch (type) {
            case "object" -> checkObject(s, v, path, errors);
            case "array" -> {
                if (!v.isArray()) {
                    errors.add(path + ": must be an array");
                    return;
                }
                for (int i = 0; i < v.size(); i++) {
                    check(s.getItems().getSchema(), v.get(i), path + "[" + i + "]", errors);
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    errors.add(path + ": must be a string");
                    return;
                }
                String text = v.asText();
                if (s.getPattern() != null && !Pattern.compile(s.getPattern()).matcher(text).find()) {
                    errors.add(path + ": '" + text + "' does not match " + s.getPattern());
                }
                if (s.getMaxLength() != null && text.length() > s.getMaxLength()) {
                    errors.add(path + ": longer than " + s.getMaxLength());
                }
                if (s.getMinLength() != null && text.length() < s.getMinLength()) {
                    errors.add(path + ": shorter than " + s.getMinLength());
                }
                checkEnum(s, v, path, errors);
            }
            case "integer", "number" -> {
                if (type.equals("integer") ? !v.isIntegralNumber() : !v.isNumber()) {
                    errors.add(path + ": must be a" + (type.equals("integer") ? "n integer" : " number"));
                    return;
                }
                if (s.getMinimum() != null && v.asDouble() < s.getMinimum()) {
                    errors.add(path + ": below " + s.getMinimum());
                }
                if (s.getMaximum() != null && v.asDouble() > s.getMaximum()) {
                    errors.add(path + ": above " + s.getMaximum());
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    errors.add(path + ": must be a boolean");
                }
            }
            default -> errors.add(path + ": unknown schema type " + type);
        }
    }

    private static void checkObject(JSONSchemaProps s, JsonNode v, String path, List<String> errors) {
        if (!v.isObject()) {
            errors.add(path + ": must be an object");
            return;
        }
        for (String r : s.getRequired() == null ? List.<String>of() : s.getRequired()) {
            if (!v.has(r)) {
                errors.add(join(path, r) + ": required");
            }
        }
        Map<String, JSONSchemaProps> props = s.getProperties();
        JSONSchemaProps additional = s.getAdditionalProperties() == null ? null : s.getAdditionalProperties().getSchema();
        boolean preserve = Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields());
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String p = join(path, f.getKey());
            if (props != null && props.containsKey(f.getKey())) {
                check(props.get(f.getKey()), f.getValue(), p, errors);
            } else if (additional != null) {
                check(additional, f.getValue(), p, errors);
            } else if (!preserve && (props != null && !props.isEmpty())) {
                errors.add(p + ": unknown field (the API server would prune it)");
            }
        }
    }

    private static void checkEnum(JSONSchemaProps s, JsonNode v, String path, List<String> errors) {
        if (s.getEnum() != null && !s.getEnum().isEmpty() && !s.getEnum().contains(v)) {
            errors.add(path + ": '" + v.asText() + "' is not one of " + s.getEnum());
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
