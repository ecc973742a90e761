package io.portcullis.api.store;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;

/** Wires the plain store classes into CDI. */
public class StoreBeans {

    @Produces
    @Singleton
    PolicyState state() {
        return new PolicyState();
    }

    @Produces
    @Singleton
    PolicyStore store(PolicyState state, PolicyPublisher publisher, PolicyReplay replay) {
        return new PolicyStore(state, publisher, Clock.systemUTC(), () -> UUID.randomUUID().toString(), replay::isReady);
    }
}
