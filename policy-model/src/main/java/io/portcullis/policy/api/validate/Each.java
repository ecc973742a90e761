package io.portcullis.policy.api.validate;

import java.util.List;

/** Runs a check on every non-null item of an optional list, with the item's indexed path. */
final class Each {

    interface Check<T> {
        void check(T item, FieldPath path);
    }

    private Each() {}

    static <T> void item(List<T> items, FieldPath path, Check<T> check) {
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) != null) {
                    check.check(items.get(i), path.index(i));
                }
            }
        }
    }
}
