package io.portcullis.policy.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rows from Cilium {@code pkg/labelsfilter/filter_test.go}: {@code TestFilterLabels},
 * {@code TestDefaultFilterLabels} and {@code TestFilterLabelsDocExample}, plus single-label rows for the
 * default expressions of CILIUM-SEMANTICS §5.2.
 */
class FilterTest {

    private static final String CONTAINER = "container";

    /** The container labels shared by TestFilterLabels and TestDefaultFilterLabels. */
    private static Map<String, String> normalLabels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("io.kubernetes.container.hash", "cf58006d");
        m.put("io.kubernetes.container.name", "POD");
        m.put("io.kubernetes.container.restartCount", "0");
        m.put("io.kubernetes.container.terminationMessagePath", "");
        m.put("io.kubernetes.pod.name", "my-nginx-3800858182-07i3n");
        m.put("io.kubernetes.pod.namespace", "default");
        m.put("app.kubernetes.io", "my-nginx");
        m.put("kubernetes.io.foo", "foo");
        m.put("beta.kubernetes.io.foo", "foo");
        m.put("annotation.kubectl.kubernetes.io", "foo");
        m.put("annotation.hello", "world");
        m.put("annotation.cilium-identity", "12356");
        m.put("io.kubernetes.pod.terminationGracePeriod", "30");
        m.put("io.kubernetes.pod.uid", "c2e22414-dfc3-11e5-9792-080027755f5a");
        m.put("ignore", "foo");
        m.put("ignorE", "foo");
        m.put("annotation.kubernetes.io/config.seen", "2017-05-30T14:22:17.691491034Z");
        m.put("controller-revision-hash", "123456");
        return m;
    }

    private static List<Label> fromMap(Map<String, String> m, String source) {
        List<Label> l = new ArrayList<>();
        m.forEach((k, v) -> l.add(new Label(source, k, v)));
        return l;
    }

    @Test
    void filterLabelsWithUserExpressions() {
        LabelFilter filter = LabelFilter.withUserExpressions(List.of(":!ignor[eE]", "id.*", "foo"));
        List<Label> all = fromMap(normalLabels(), CONTAINER);

        assertThat(filter.whitelist()).isTrue();
        assertThat(filter.filter(Labels.of(all)).identity().size()).isEqualTo(2);

        all.add(new Label(CONTAINER, "id.lizards", "web"));
        all.add(new Label(Label.SOURCE_K8S, "id.lizards.k8s", "web"));
        assertThat(filter.filter(Labels.of(all)).identity().size()).isEqualTo(4);

        // "foo" is a prefix regex: foo2 matches too
        all.add(new Label(Label.SOURCE_K8S, "foo2.lizards.k8s", "web"));
        assertThat(filter.filter(Labels.of(all)).identity().size()).isEqualTo(5);

        // ... but only at the start of the key
        all.add(new Label(Label.SOURCE_K8S, "lizards.foo.lizards.k8s", "web"));
        FilteredLabels result = filter.filter(Labels.of(all));
        assertThat(result.identity()).isEqualTo(Labels.of(
                new Label(CONTAINER, "id.lizards", "web"),
                new Label(Label.SOURCE_K8S, "id.lizards.k8s", "web"),
                new Label(CONTAINER, "io.kubernetes.pod.namespace", "default"),
                new Label(CONTAINER, "app.kubernetes.io", "my-nginx"),
                new Label(Label.SOURCE_K8S, "foo2.lizards.k8s", "web")));
        assertThat(result.info().size()).isEqualTo(all.size() - 5);
    }

    @Test
    void defaultFilterLabels() {
        Map<String, String> normal = normalLabels();
        normal.put("ioXkubernetes", "foo");
        List<Label> all = fromMap(normal, CONTAINER);
        all.add(Label.reserved("host"));
        LabelFilter filter = LabelFilter.defaults();

        assertThat(filter.whitelist()).isFalse();
        assertThat(filter.filter(Labels.of(all)).identity().size()).isEqualTo(6);

        all.add(new Label(CONTAINER, "id.lizards", "web"));
        all.add(new Label(Label.SOURCE_K8S, "id.lizards.k8s", "web"));
        assertThat(filter.filter(Labels.of(all)).identity()).isEqualTo(Labels.of(
                new Label(CONTAINER, "app.kubernetes.io", "my-nginx"),
                new Label(Label.SOURCE_K8S, "id.lizards.k8s", "web"),
                new Label(CONTAINER, "id.lizards", "web"),
                new Label(CONTAINER, "ignorE", "foo"),
                new Label(CONTAINER, "ignore", "foo"),
                Label.reserved("host"),
                new Label(CONTAINER, "io.kubernetes.pod.namespace", "default"),
                new Label(CONTAINER, "ioXkubernetes", "foo")));
    }

    @Test
    void filterLabelsDocExample() {
        LabelFilter filter = LabelFilter.withUserExpressions(
                List.of("k8s:io.kubernetes.pod.namespace", "k8s:k8s-app", "k8s:app", "k8s:name"));
        List<Label> all = new ArrayList<>(fromMap(Map.of(
                "io.cilium.k8s.namespace.labels", "foo",
                "k8s-app-team", "foo",
                "app-production", "foo",
                "name-defined", "foo"), Label.SOURCE_K8S));
        assertThat(filter.filter(Labels.of(all)).identity().size()).isEqualTo(4);

        // reserved labels are included
        all.add(Label.reserved("host"));
        assertThat(filter.filter(Labels.of(all)).identity().size()).isEqualTo(5);

        // matches because the default list has io.kubernetes.pod.namespace for any source
        all.add(new Label(Label.SOURCE_ANY, "io.kubernetes.pod.namespace", "docker"));
        assertThat(filter.filter(Labels.of(all)).identity().size()).isEqualTo(6);

        // container:k8s-app-role does not match k8s:k8s-app: wrong source
        all.add(new Label(CONTAINER, "k8s-app-role", "foo"));
        FilteredLabels result = filter.filter(Labels.of(all));
        assertThat(result.identity()).isEqualTo(Labels.of(
                new Label(Label.SOURCE_K8S, "io.cilium.k8s.namespace.labels", "foo"),
                new Label(Label.SOURCE_K8S, "k8s-app-team", "foo"),
                new Label(Label.SOURCE_K8S, "app-production", "foo"),
                new Label(Label.SOURCE_K8S, "name-defined", "foo"),
                Label.reserved("host"),
                new Label(Label.SOURCE_ANY, "io.kubernetes.pod.namespace", "docker")));
        assertThat(result.info()).isEqualTo(Labels.of(new Label(CONTAINER, "k8s-app-role", "foo")));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "k8s:app=web,                                                   true",
        "k8s:io.kubernetes.pod.namespace=default,                       true",
        "k8s:io.cilium.k8s.namespace.labels.team=a,                     true",
        "k8s:io.cilium.k8s.policy.serviceaccount=sa,                    true",
        "k8s:io.cilium.k8s.policy.cluster=default,                      true",
        "k8s:app.kubernetes.io/name=web,                                true",
        "reserved:host,                                                 true",
        "k8s:io.kubernetes.pod.name=x,                                  false",
        "k8s:kubernetes.io/hostname=n1,                                 false",
        "k8s:statefulset.kubernetes.io/pod-name=db-0,                   false",
        "k8s:apps.kubernetes.io/pod-index=0,                            false",
        "k8s:batch.kubernetes.io/job-completion-index=3,                false",
        "k8s:batch.kubernetes.io/controller-uid=u,                      false",
        "k8s:controller-uid=u,                                          false",
        "k8s:failure-domain.beta.kubernetes.io/zone=z,                  false",
        "k8s:k8s.io/foo=x,                                              false",
        "k8s:pod-template-generation=1,                                 false",
        "k8s:pod-template-hash=abc,                                     false",
        "k8s:controller-revision-hash=abc,                              false",
        "k8s:annotation.foo=x,                                          false",
        "k8s:etcd_node=x,                                               false",
        "k8s:topology.kubernetes.io/zone=z,                             false",
    })
    void defaultExpressions(String label, boolean identityRelevant) {
        assertThat(LabelFilter.defaults().isIdentityRelevant(Label.parse(label))).isEqualTo(identityRelevant);
    }

    @Test
    void longestIncludeBeatsShorterExclude() {
        LabelFilter filter = LabelFilter.of(List.of("!foo", "foo\\.bar"), List.of());

        assertThat(filter.isIdentityRelevant(Label.k8s("foo.bar", "x"))).isTrue();
        assertThat(filter.isIdentityRelevant(Label.k8s("foo.baz", "x"))).isFalse();
        assertThat(filter.isIdentityRelevant(Label.k8s("other", "x"))).isTrue();
    }

    @Test
    void userExcludesOnlyDoNotSwitchToWhitelist() {
        LabelFilter filter = LabelFilter.withUserExpressions(List.of("!team", ""));

        assertThat(filter.whitelist()).isFalse();
        assertThat(filter.isIdentityRelevant(Label.k8s("team", "a"))).isFalse();
        assertThat(filter.isIdentityRelevant(Label.k8s("app", "a"))).isTrue();
    }

    @Test
    void badExpressionsAreRejected() {
        assertThatThrownBy(() -> LabelFilter.withUserExpressions(List.of("k8s:")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> LabelFilter.withUserExpressions(List.of("app[")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regexp");
    }
}
