package io.portcullis.dnsproxy.mesh;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.dnsproxy.rules.RuleState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The rule state's records in a file ({@code rules-<node>.json} under the state dir), written atomically
 * (temporary file, then rename), so a restarted proxy serves the rules it had before Kafka answers. The
 * file holds the records as they were on the topics, so restoring folds them exactly as a replay would.
 */
public final class SnapshotStore {

    private static final Logger LOG = Logger.getLogger(SnapshotStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file's content. */
    public record Snapshot(int schemaVersion, String node, Map<String, Map<String, byte[]>> records) {}

    private final Path file;

    public SnapshotStore(Path dir, String node) {
        this.file = dir.resolve("rules-" + node.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }

    public Path file() {
        return file;
    }

    public void write(RuleState state) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), new Snapshot(1, state.node(), state.records()));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Folds the file into {@code state}, topic by topic in replay order. False when there is no usable
     * file (none, another node's, unreadable: then the proxy waits for Kafka as on a first start).
     */
    public boolean restore(RuleState state) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            Snapshot s = JSON.readValue(file.toFile(), new TypeReference<Snapshot>() {});
            if (s.schemaVersion() != 1 || !state.node().equals(s.node()) || s.records() == null) {
                LOG.warnf("ignoring snapshot %s: schema %d of node %s", file, s.schemaVersion(), s.node());
                return false;
            }
            for (String topic : state.topics().inOrder()) {
                for (Map.Entry<String, byte[]> r : s.records().getOrDefault(topic, new LinkedHashMap<>()).entrySet()) {
                    state.apply(topic, r.getKey(), r.getValue());
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "ignoring unreadable snapshot %s", file);
            return false;
        }
    }
}
