package io.portcullis.kafkaproxy.api;

import java.util.function.Consumer;
import org.apache.kafka.common.protocol.ApiMessage;

/** How the proxy answers a denied request. */
public sealed interface Denial {

    /** Answer locally with this response body (same API key and version as the request). */
    record Respond(ApiMessage response) implements Denial {}

    /** Answer nothing: the client expects no response (Produce with acks=0). */
    record Silent() implements Denial {}

    /**
     * Forward this reduced request instead (same header), then let {@code merge} add the denied part's
     * errors to the broker's response body before it goes back.
     */
    record ForwardReduced(ApiMessage request, Consumer<ApiMessage> merge) implements Denial {}
}
