package io.portcullis.policy.api.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.parse.PolicyParser;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One table row: a policy (YAML) and either "valid" or the field path fragment and message fragment
 * that some error must carry.
 */
record ValidationRow(String name, String policy, String field, String message) {

    static ValidationRow accept(String name, String policy) {
        return new ValidationRow(name, policy, null, null);
    }

    static ValidationRow reject(String name, String policy, String field, String message) {
        return new ValidationRow(name, policy, field, message);
    }

    /** A CiliumNetworkPolicy named {@code t} whose spec is {@code spec} (YAML, indented from column 0). */
    static String cnp(String spec) {
        return wrap("CiliumNetworkPolicy", spec);
    }

    static String ccnp(String spec) {
        return wrap("CiliumClusterwideNetworkPolicy", spec);
    }

    private static String wrap(String kind, String spec) {
        String indented = spec.strip().lines().map(l -> "  " + l).collect(Collectors.joining("\n"));
        return "apiVersion: cilium.io/v2\nkind: " + kind + "\nmetadata: {name: t}\nspec:\n" + indented + "\n";
    }

    static List<FieldError> errorsOf(String yaml) {
        return new PolicyParser().parseAndValidate(yaml, "application/yaml").errors();
    }

    void check() {
        List<FieldError> errors = errorsOf(policy);
        if (field == null) {
            assertThat(errors).as(name).isEmpty();
        } else {
            assertThat(errors).as(name + " → " + errors)
                    .anyMatch(e -> e.field().contains(field) && e.message().contains(message));
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
