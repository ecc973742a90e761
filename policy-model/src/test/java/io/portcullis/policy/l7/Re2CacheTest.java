package io.portcullis.policy.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Re2Cache}: one compiled pattern per distinct regex, bounded, RE2 syntax errors as IAE. */
class Re2CacheTest {

    @Test
    void equalRegexesShareOneCompiledPattern() {
        String a = new String("^shared[.]example[.]$");
        String b = new String("^shared[.]example[.]$");
        assertThat(Re2Cache.compile(a)).isSameAs(Re2Cache.compile(b));
    }

    @Test
    void cacheStaysBounded() {
        for (int i = 0; i < Re2Cache.MAX_ENTRIES + 10; i++) {
            Re2Cache.compile("^bounded" + i + "$");
        }
        assertThat(Re2Cache.size()).isLessThanOrEqualTo(Re2Cache.MAX_ENTRIES);
    }

    @Test
    void fullStringMatchViaMatches() {
        assertThat(Re2Cache.compile("/public").matches("/public")).isTrue();
        assertThat(Re2Cache.compile("/public").matches("/public/x")).isFalse();
    }

    @Test
    void invalidOrNonRe2SyntaxIsRejected() {
        assertThatThrownBy(() -> Re2Cache.compile("(")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Re2Cache.compile("(?=lookahead)")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Re2Cache.compile("(a)\\1")).isInstanceOf(IllegalArgumentException.class);
    }
}
