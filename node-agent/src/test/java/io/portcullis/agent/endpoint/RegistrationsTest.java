package io.portcullis.agent.endpoint;

import static io.portcullis.agent.state.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.agent.rest.ApiException;
import io.portcullis.agent.state.EndpointState;
import io.portcullis.agent.state.Fixtures;
import io.portcullis.agent.state.NodeState;
import io.portcullis.agent.state.StateWaiters;
import io.portcullis.mesh.endpoint.EndpointRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RegistrationsTest {

    private final NodeState state = new NodeState(Fixtures.NODE);
    private final List<String> published = new ArrayList<>();
    private final AtomicBoolean identityServiceUp = new AtomicBoolean(true);
    private final AtomicBoolean brokerUp = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final AtomicBoolean emitterFull = new AtomicBoolean(false);

    /** The topic round trip, with identity-service answering registrations with identity 300. */
    private final Registrations.Publisher topic = new Registrations.Publisher() {
        @Override
        public CompletionStage<?> publish(EndpointRecord r) {
            if (emitterFull.get()) {
                throw new IllegalStateException("buffer full");
            }
            if (!brokerUp.get()) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
            }
            published.add(r.key());
            CompletableFuture.runAsync(() -> {
                state.putEndpoint(r.id(), r);
                if (identityServiceUp.get()) {
                    state.putIdentity(r.id(), 300);
                }
            });
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> tombstone(String key) {
            published.add(key + " (tombstone)");
            CompletableFuture.runAsync(() -> state.removeEndpoint(key.substring(key.indexOf('/') + 1)));
            return CompletableFuture.completedFuture(null);
        }
    };

    private final Registrations registrations = new Registrations(state, new StateWaiters(state), topic,
            Duration.ofMillis(500), ready::get);

    @Test
    void registersOnceAndAnswersARepeatWithoutPublishing() {
        Registrations.Outcome first = registrations.register(spec("default/a", "127.10.0.1"));
        assertThat(first.created()).isTrue();
        assertThat(first.endpoint().identity()).isEqualTo(300);
        assertThat(first.endpoint().state()).isEqualTo(EndpointState.WAITING_FOR_POLICY);

        Registrations.Outcome again = registrations.register(spec("default/a", "127.10.0.1"));
        assertThat(again.created()).isFalse();
        assertThat(again.endpoint().id()).isEqualTo("default/a");
        assertThat(published).containsExactly("node-1/default/a");
    }

    @Test
    void aDifferentSpecOrSomeoneElsesAddressIsAConflict() {
        registrations.register(spec("default/a", "127.10.0.1"));
        assertThatThrownBy(() -> registrations.register(spec("default/a", "127.10.0.9")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> registrations.register(spec("default/b", "127.10.0.1")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("belongs to endpoint default/a");
                });
        assertThat(published).containsExactly("node-1/default/a");
    }

    @Test
    void withoutAnIdentityInTimeItIs504AndARetryPicksUpTheLateIdentity() {
        identityServiceUp.set(false);
        assertThatThrownBy(() -> registrations.register(spec("default/a")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(504);
                    assertThat(e.getMessage()).contains("waiting for its identity");
                });
        assertThat(state.snapshot().endpoint("default/a").state()).isEqualTo(EndpointState.WAITING_FOR_IDENTITY);

        state.putIdentity("default/a", 301);
        Registrations.Outcome retry = registrations.register(spec("default/a"));
        assertThat(retry.created()).isFalse();
        assertThat(retry.endpoint().identity()).isEqualTo(301);
        assertThat(published).hasSize(1);
    }

    @Test
    void aBrokerFailureIs503AndNothingIsRegistered() {
        brokerUp.set(false);
        assertThatThrownBy(() -> registrations.register(spec("default/a")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("broker unreachable");
                });
        assertThat(state.snapshot().endpoints()).isEmpty();
        brokerUp.set(true);
        emitterFull.set(true);
        assertThatThrownBy(() -> registrations.register(spec("default/a")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("buffer full");
                });
    }

    @Test
    void deregistrationWaitsForTheTombstoneSoARegistrationRightAfterStartsFresh() {
        registrations.register(spec("default/a", "127.10.0.1"));
        registrations.deregister("default/a");
        assertThat(state.snapshot().endpoint("default/a")).isNull();

        EndpointRecord relabelled = new EndpointRecord(EndpointRecord.SCHEMA_VERSION, Fixtures.NODE, "default", "a",
                java.util.Map.of("app", "other"), java.util.Map.of(), "default", List.of("127.10.0.1"), java.util.Map.of());
        assertThat(registrations.register(relabelled).created()).isTrue();
        assertThat(published).containsExactly("node-1/default/a", "node-1/default/a (tombstone)", "node-1/default/a");
    }

    @Test
    void unknownEndpointIs404AndNothingIsAcceptedBeforeTheReplay() {
        assertThatThrownBy(() -> registrations.deregister("default/none"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        ready.set(false);
        assertThatThrownBy(() -> registrations.register(spec("default/a")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    }
}
