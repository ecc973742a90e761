package io.portcullis.api.rest;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request bodies: at most {@code portcullis.policy-api.max-body-size} bytes (checked early on
 * Content-Length by {@link BodyLimitFilter}, and here on what arrived) and valid UTF-8.
 */
@ApplicationScoped
public class RequestBodies {

    private final long limit;

    public RequestBodies(@ConfigProperty(name = "portcullis.policy-api.max-body-size", defaultValue = "1048576") long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    String text(byte[] body) {
        if (body.length > limit) {
            throw ApiException.tooLarge(limit);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the request body is not UTF-8 text",
                    List.of(new KubeStatus.Cause("FieldValueInvalid", "not UTF-8: " + e.getMessage(), "")));
        }
    }
}
