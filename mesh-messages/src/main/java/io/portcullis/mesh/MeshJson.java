package io.portcullis.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portcullis.mesh.compiled.EndpointPolicyJson;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON codec for mesh messages. Readers ignore fields they do not know (a newer writer may
 * add some) but refuse a schema version newer than they understand. Thread-safe.
 */
public final class MeshJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .addModule(EndpointPolicyJson.module())
            .build();

    private MeshJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a message; throws {@link UnsupportedSchemaException} for a schema newer than {@code maxVersion}. */
    public static <T extends Versioned> T decode(byte[] json, Class<T> type, int maxVersion) {
        try {
            T m = MAPPER.readValue(json, type);
            if (m.schemaVersion() > maxVersion || m.schemaVersion() < 1) {
                throw new UnsupportedSchemaException(type.getSimpleName() + " schemaVersion " + m.schemaVersion()
                        + " is not supported (this reader knows 1.." + maxVersion + ")");
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + type.getSimpleName(), e);
        }
    }

    /** A message from a newer writer than this reader understands. */
    public static final class UnsupportedSchemaException extends RuntimeException {
        public UnsupportedSchemaException(String message) {
            super(message);
        }
    }
}
