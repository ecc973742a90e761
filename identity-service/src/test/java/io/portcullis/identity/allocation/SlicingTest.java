package io.portcullis.identity.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlicingTest {

    private final Slicing eight = new Slicing(8);

    @Test
    void labelOrderDoesNotMatter() {
        Labels a = Labels.of(Label.k8s("app", "web"), Label.k8s("io.kubernetes.pod.namespace", "shop"));
        Labels b = Labels.of(Label.k8s("io.kubernetes.pod.namespace", "shop"), Label.k8s("app", "web"));
        assertThat(eight.sliceOf(a)).isEqualTo(eight.sliceOf(b));
        assertThat(Slicing.labelsKey(a)).isEqualTo("k8s:app=web;k8s:io.kubernetes.pod.namespace=shop");
    }

    @Test
    void sliceIsStableAcrossVersions() {
        // Pinned: changing the hash would move every label set to another slice and id range.
        // Values: SHA-256 of the UTF-8 text, first four bytes as a signed big-endian int, floor-mod n.
        assertThat(eight.sliceOf("k8s:app=web;k8s:io.kubernetes.pod.namespace=shop")).isEqualTo(5);
        assertThat(new Slicing(1000).sliceOf("node-1/default/web")).isEqualTo(314);
    }

    @Test
    void spreadsOverAllSlicesInRange() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int s = eight.sliceOf("node/ns/pod-" + i);
            assertThat(s).isBetween(0, 7);
            seen.add(s);
        }
        assertThat(seen).hasSize(8);
    }

    @Test
    void needsAtLeastOneSlice() {
        assertThatThrownBy(() -> new Slicing(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
