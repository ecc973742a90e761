package io.portcullis.policy.labels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Label key rules of Cilium's {@code pkg/labels/validation.go} ({@code IsValidCiliumLabelKey}) on top of
 * Kubernetes' {@code IsQualifiedName}, and Kubernetes label values.
 */
class LabelValidationTest {

    @ParameterizedTest(name = "key \"{0}\" valid: {1}")
    @CsvSource({
        "app, true",
        "k8s:app, true",
        "any:io.kubernetes.pod.namespace, true",
        "reserved:host, true",
        "app.kubernetes.io/name, true",
        "k8s:app.kubernetes.io/name, true",
        "io.cilium.k8s.namespace.labels.team, true",
        "k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name, true",
        "'', false",
        "a:b:c, false",
        ":app, false",
        "k-8s:app, false",
        "k8s:, false",
        "-app, false",
        "app-, false",
        "Example.com/app, false",
        "a/b/c, false",
        "/app, false",
        "k8s:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
    })
    void ciliumLabelKey(String key, boolean valid) {
        assertThat(LabelValidation.isValidCiliumLabelKey(key)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "value \"{0}\" valid: {1}")
    @CsvSource({
        "'', true",
        "a, true",
        "my_value.1-2, true",
        "-a, false",
        "a., false",
        "a b, false",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
    })
    void labelValue(String value, boolean valid) {
        assertThat(LabelValidation.labelValueErrors(value).isEmpty()).isEqualTo(valid);
    }
}
