package io.portcullis.policy.api.validate;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Orders errors as their fields appear in the object: record components in declaration order (which
 * follows Cilium's Go structs), list items by index. Paths are ours ({@code spec.ingress[0].toPorts[1]}),
 * so errors from Hibernate Validator and from the Java checks sort together; the sort is stable, so
 * errors on the same field keep the order they were added in. Map entries ({@code matchLabels[app]})
 * keep their order too, and a name that is no record component sorts after the ones that are.
 */
final class DocumentOrder {

    private record Keyed(int[] key, FieldError error) {}

    private DocumentOrder() {}

    /** {@code errors} in document order; the sort is stable (a segment-wise, shorter-first comparison). */
    static List<FieldError> sort(List<FieldError> errors) {
        return errors.stream()
                .map(e -> new Keyed(key(e.field()), e))
                .sorted(Comparator.comparing(Keyed::key, Arrays::compare))
                .map(Keyed::error)
                .toList();
    }

    /** One int per path segment: the component's position, a list index, or 0 for a map key. */
    static int[] key(String path) {
        List<Integer> key = new ArrayList<>();
        Type type = CiliumPolicy.class;
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int end = path.indexOf(']', i);
                end = end < 0 ? path.length() : end;
                String inside = path.substring(i + 1, end);
                if (isList(type)) {
                    key.add(inside.chars().allMatch(Character::isDigit) && !inside.isEmpty()
                            ? Integer.parseInt(inside) : 0);
                } else {
                    key.add(0);
                }
                type = typeArgument(type, isList(type) ? 0 : 1);
                i = end + 1;
            } else {
                int end = i;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                String name = path.substring(i, end);
                RecordComponent[] components = type instanceof Class<?> cls && cls.isRecord()
                        ? cls.getRecordComponents() : new RecordComponent[0];
                int position = Integer.MAX_VALUE;
                Type next = null;
                for (int k = 0; k < components.length; k++) {
                    if (components[k].getName().equals(name)) {
                        position = k;
                        next = components[k].getGenericType();
                    }
                }
                key.add(position);
                type = next;
                i = end;
            }
        }
        return key.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean isList(Type type) {
        return type instanceof ParameterizedType p && p.getRawType() == List.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return null;
    }
}
