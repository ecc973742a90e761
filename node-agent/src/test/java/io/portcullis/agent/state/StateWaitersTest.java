package io.portcullis.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class StateWaitersTest {

    private final NodeState state = new NodeState(Fixtures.NODE);
    private final StateWaiters waiters = new StateWaiters(state);

    @Test
    void completesWhenTheConditionHoldsAlreadyOrLater() throws Exception {
        state.putEndpoint("default/a", Fixtures.spec("default/a"));
        assertThat(waiters.await(s -> s.endpoint("default/a"), Duration.ofSeconds(5)).get().id()).isEqualTo("default/a");

        CompletableFuture<Long> identity = waiters.await(s -> s.endpoint("default/a").identity(), Duration.ofSeconds(5));
        assertThat(identity).isNotDone();
        state.putIdentity("default/a", 300);
        assertThat(identity.get()).isEqualTo(300);
        assertThat(waiters.pending()).isZero();
    }

    @Test
    void timesOutAndForgetsTheWaiter() {
        CompletableFuture<Object> never = waiters.await(s -> null, Duration.ofMillis(50));
        assertThatThrownBy(never::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        assertThat(waiters.pending()).isZero();
    }
}
