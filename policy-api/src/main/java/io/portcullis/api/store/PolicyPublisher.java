package io.portcullis.api.store;

import io.portcullis.mesh.policy.PolicyEvent;
import java.util.List;

/** Makes the events of one request durable, all or none. */
public interface PolicyPublisher {

    /**
     * Returns once every event is acknowledged by the store.
     *
     * @throws PublishFailedException when not all of them are known to be stored
     */
    void publish(List<PolicyEvent> events);

    final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
