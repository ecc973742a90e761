package io.portcullis.policy.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An endpoint's labels as the Cilium agent derives them for a pod, then filtered (§5.2). */
class EndpointLabelsTest {

    @Test
    void buildsPodNamespaceServiceAccountAndClusterLabels() {
        Labels all = EndpointLabels.defaults().all("default",
                Map.of("app", "client"), Map.of("team", "a"), "client-sa");

        assertThat(all.asList()).map(Label::toString).containsExactlyInAnyOrder(
                "k8s:app=client",
                "k8s:io.kubernetes.pod.namespace=default",
                "k8s:io.cilium.k8s.namespace.labels.team=a",
                "k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default",
                "k8s:io.cilium.k8s.policy.serviceaccount=client-sa",
                "k8s:io.cilium.k8s.policy.cluster=default");
    }

    @Test
    void sourcePrefixedKeysBecomeK8sLabels() {
        Map<String, String> pod = new LinkedHashMap<>();
        pod.put("k8s:app", "x");
        pod.put("any:org", "alliance");
        pod.put("reserved:host", "");

        Labels labels = EndpointLabels.defaults().identityLabels("empire", pod, null, null);

        assertThat(labels.asList()).map(Label::toString).contains("k8s:app=x", "k8s:org=alliance", "k8s:host")
                .doesNotContain("reserved:host");
    }

    @Test
    void derivedLabelsWinOverPodLabelsWithTheSameKey() {
        Labels labels = EndpointLabels.defaults().identityLabels("real",
                Map.of("io.kubernetes.pod.namespace", "fake"), Map.of(), "");

        assertThat(labels.find(Label.SOURCE_K8S, "io.kubernetes.pod.namespace").value()).isEqualTo("real");
        assertThat(labels.find(Label.SOURCE_K8S, "io.cilium.k8s.policy.serviceaccount")).isNull();
    }

    @Test
    void churnLabelsAreInformationOnly() {
        FilteredLabels f = EndpointLabels.defaults().filtered("default",
                Map.of("app", "web", "pod-template-hash", "abc123", "statefulset.kubernetes.io/pod-name", "web-0"),
                Map.of(), "default");

        assertThat(f.identity().find(Label.SOURCE_K8S, "app")).isNotNull();
        assertThat(f.info().asList()).map(Label::key)
                .containsExactlyInAnyOrder("pod-template-hash", "statefulset.kubernetes.io/pod-name");
    }

    @Test
    void clusterNameIsConfigurable() {
        EndpointLabels mesh = new EndpointLabels(LabelFilter.withUserExpressions(List.of("k8s:app")), "c1");

        Labels labels = mesh.identityLabels("ns", Map.of("app", "a", "tier", "db"), Map.of(), "sa");

        assertThat(labels.asList()).map(Label::toString).containsExactlyInAnyOrder(
                "k8s:app=a",
                "k8s:io.kubernetes.pod.namespace=ns",
                "k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=ns",
                "k8s:io.cilium.k8s.policy.serviceaccount=sa",
                "k8s:io.cilium.k8s.policy.cluster=c1");
        assertThat(new EndpointLabels(LabelFilter.defaults(), null).clusterName()).isEqualTo("default");
    }
}
