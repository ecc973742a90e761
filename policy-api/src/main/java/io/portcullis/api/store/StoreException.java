package io.portcullis.api.store;

/** Why a write or read was refused; the REST layer turns each into its Kubernetes Status. */
public sealed class StoreException extends RuntimeException {

    StoreException(String message) {
        super(message);
    }

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No policy under that key. */
    public static final class NotFound extends StoreException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** A conditional update named a resourceVersion that is no longer current. */
    public static final class Conflict extends StoreException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The state is still being rebuilt, or the change could not be made durable. Nothing changed. */
    public static final class Unavailable extends StoreException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
