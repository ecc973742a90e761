package io.portcullis.policy.api.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.ICMPField;
import io.portcullis.policy.api.ObjectMeta;
import io.portcullis.policy.api.PortProtocol;
import io.portcullis.policy.api.PortRuleKafka;
import io.portcullis.policy.api.validate.FieldErrors;
import io.portcullis.policy.api.validate.FieldPath;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a JSON tree to the api records by their component names, tracking the field path, so that an
 * unknown field or a value of the wrong type becomes a {@link FieldError} at its path instead of being
 * dropped or ending the parse. An absent field or an explicit {@code null} binds to {@code null}; an
 * empty list stays an empty list.
 */
final class RecordBinder {

    /** Fields Kubernetes declares int-or-string, or that users commonly write as YAML numbers. */
    private static final Set<String> INT_OR_STRING = Set.of(
            PortProtocol.class.getName() + ".port",
            ICMPField.class.getName() + ".type",
            PortRuleKafka.class.getName() + ".apiVersion");

    private final ObjectMapper mapper;
    private final FieldErrors errors;

    RecordBinder(ObjectMapper mapper, FieldErrors errors) {
        this.mapper = mapper;
        this.errors = errors;
    }

    <T> T bind(JsonNode node, Class<T> type, FieldPath path) {
        return type.cast(value(node, type, path, false));
    }

    private Object value(JsonNode node, Type type, FieldPath path, boolean intOrString) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (type == String.class) {
            if (node.isTextual()) {
                return node.textValue();
            }
            if (intOrString && node.isIntegralNumber()) {
                return node.asText();
            }
            return typeError(node, path, intOrString ? "string or integer" : "string");
        }
        if (type == Integer.class) {
            return node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : typeError(node, path, "integer");
        }
        if (type == Long.class) {
            return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : typeError(node, path, "integer");
        }
        if (type == Boolean.class) {
            return node.isBoolean() ? node.booleanValue() : typeError(node, path, "boolean");
        }
        if (type == Object.class) {
            return mapper.convertValue(node, Object.class);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return list(node, p.getActualTypeArguments()[0], path);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            return map(node, p.getActualTypeArguments()[1], path);
        }
        if (type instanceof Class<?> c && c.isRecord()) {
            return record(node, c, path);
        }
        throw new IllegalStateException("no binding for " + type + " at " + path);
    }

    private List<Object> list(JsonNode node, Type element, FieldPath path) {
        if (!node.isArray()) {
            typeError(node, path, "array");
            return null;
        }
        List<Object> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(value(node.get(i), element, path.index(i), false));
        }
        return out;
    }

    private Map<String, Object> map(JsonNode node, Type valueType, FieldPath path) {
        if (!node.isObject()) {
            typeError(node, path, "object");
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), value(e.getValue(), valueType, path.key(e.getKey()), false));
        }
        return out;
    }

    private Object record(JsonNode node, Class<?> type, FieldPath path) {
        if (!node.isObject()) {
            return typeError(node, path, "object");
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            boolean intOrString = INT_OR_STRING.contains(type.getName() + "." + c.getName());
            args[i] = value(node.get(c.getName()), c.getGenericType(), path.child(c.getName()), intOrString);
        }
        // Kubernetes owns metadata; fields we do not model (managedFields, finalizers, …) are fine there.
        if (type != ObjectMeta.class) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = field.getKey();
                if (Arrays.stream(components).noneMatch(c -> c.getName().equals(name))) {
                    errors.add(path.child(name), FieldError.UNKNOWN, "unknown field \"" + name + "\"");
                }
            }
        }
        return construct(type, components, args);
    }

    private static Object construct(Class<?> type, RecordComponent[] components, Object[] args) {
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e.getCause());
        }
    }

    private Object typeError(JsonNode node, FieldPath path, String expected) {
        errors.invalid(path, "must be of type " + expected + ", not " + kindOf(node));
        return null;
    }

    private static String kindOf(JsonNode node) {
        if (node.isTextual()) {
            return "string";
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        return node.isArray() ? "array" : "object";
    }
}
