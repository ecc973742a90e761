package io.portcullis.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.api.auth.AccessRules.Decision;
import io.portcullis.api.auth.AccessRules.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private final AccessRules rules = new AccessRules(Map.of("read-token", Role.VIEWER, "write-token", Role.EDITOR));

    @Test
    void viewersReadAndEditorsDoEverything() {
        assertThat(rules.decide("GET", "Bearer read-token")).isEqualTo(Decision.ALLOW);
        assertThat(rules.decide("POST", "Bearer read-token")).isEqualTo(Decision.FORBIDDEN);
        assertThat(rules.decide("DELETE", "bearer read-token")).isEqualTo(Decision.FORBIDDEN);
        assertThat(rules.decide("PUT", "Bearer write-token")).isEqualTo(Decision.ALLOW);
        assertThat(rules.decide("GET", "Bearer write-token")).isEqualTo(Decision.ALLOW);
    }

    @Test
    void missingMalformedOrUnknownTokensAreUnauthenticated() {
        assertThat(rules.decide("GET", null)).isEqualTo(Decision.UNAUTHENTICATED);
        assertThat(rules.decide("GET", "Basic cmVhZC10b2tlbg==")).isEqualTo(Decision.UNAUTHENTICATED);
        assertThat(rules.decide("GET", "Bearer ")).isEqualTo(Decision.UNAUTHENTICATED);
        assertThat(rules.decide("GET", "Bearer read-token2")).isEqualTo(Decision.UNAUTHENTICATED);
    }

    @Test
    void onlyLoopbackOnlyHostsMayGoWithoutTokens() {
        assertThat(BearerAuthFilter.loopbackOnly("127.0.0.1")).isTrue();
        assertThat(BearerAuthFilter.loopbackOnly("::1")).isTrue();
        assertThat(BearerAuthFilter.loopbackOnly("0.0.0.0")).isFalse();
        assertThat(BearerAuthFilter.loopbackOnly("10.1.2.3")).isFalse();
        assertThat(BearerAuthFilter.loopbackOnly("no-such-host.invalid")).isFalse();
    }
}
