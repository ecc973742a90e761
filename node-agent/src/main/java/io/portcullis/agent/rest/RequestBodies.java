package io.portcullis.agent.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Strict JSON request bodies: unknown fields, wrong types, trailing garbage and empty bodies are 400s
 * that name the field, instead of being dropped or coerced silently.
 */
public final class RequestBodies {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // "port": 80.5
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // ALLOW_COERCION_OF_SCALARS does not cover numbers and booleans into strings: "name": 5
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private RequestBodies() {}

    public static <T> T parse(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new ApiException(400, "request body is empty: a JSON object is required");
        }
        try {
            T value = STRICT.readValue(body, type);
            if (value == null) {
                throw new ApiException(400, "request body is null: a JSON object is required");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(400, "unknown field '" + path(e) + "'");
        } catch (JsonMappingException e) {
            String where = path(e);
            throw new ApiException(400, "invalid value" + (where.isEmpty() ? "" : " at " + where) + ": "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "cannot read request body: " + e.getMessage());
        }
    }

    /** {@code labels.app}, {@code ips[1]}, or "" at the top level. */
    private static String path(JsonMappingException e) {
        String where = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining());
        return where.startsWith(".") ? where.substring(1) : where;
    }
}
