package io.portcullis.mesh.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to change on an existing topic so that it matches its {@link TopicSpec}. Settings that differ
 * are altered. Partitions and replication factor are never changed in place, only reported: adding
 * partitions to a keyed topic sends a key's new records to another partition than its old ones (per-key
 * order and compaction break), and a reassignment is an operator's decision.
 */
public record TopicPlan(Map<String, String> configChanges, List<String> warnings) {

    public static TopicPlan of(TopicSpec wanted, int partitions, int replicationFactor, Map<String, String> current) {
        Map<String, String> changes = new TreeMap<>();
        wanted.configs().forEach((k, v) -> {
            if (!v.equals(current.get(k))) {
                changes.put(k, v);
            }
        });
        List<String> warnings = new ArrayList<>();
        if (partitions != wanted.partitions()) {
            warnings.add("topic " + wanted.name() + " has " + partitions + " partitions, not the configured "
                    + wanted.partitions() + "; left as is because keys would move between partitions");
        }
        if (replicationFactor != wanted.replicationFactor()) {
            warnings.add("topic " + wanted.name() + " has replication factor " + replicationFactor + ", not the configured "
                    + wanted.replicationFactor() + "; change it with a partition reassignment");
        }
        return new TopicPlan(Map.copyOf(changes), List.copyOf(warnings));
    }
}
