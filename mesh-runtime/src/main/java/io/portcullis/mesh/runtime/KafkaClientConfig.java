package io.portcullis.mesh.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Client properties from the service's {@code kafka.*} configuration (the same block the SmallRye Kafka
 * connector reads), so bootstrap servers and security settings are configured once for every client.
 */
public final class KafkaClientConfig {

    private static final String PREFIX = "kafka.";

    private KafkaClientConfig() {}

    /** Every {@code kafka.<name>} property whose {@code <name>} the client knows ({@code configNames}). */
    public static Map<String, Object> from(Config config, Set<String> configNames) {
        Map<String, Object> props = new HashMap<>();
        for (String key : config.getPropertyNames()) {
            if (key.startsWith(PREFIX) && configNames.contains(key.substring(PREFIX.length()))) {
                config.getOptionalValue(key, String.class).ifPresent(v -> props.put(key.substring(PREFIX.length()), v));
            }
        }
        return props;
    }
}
