package dev.reelroute.api;

import dev.reelroute.web.ApiException;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {
    @Test
    void aKeyIsOneTo255PrintableAsciiCharacters() {
        for (String good : new String[] {"a", "order 42/retry:1", "~".repeat(255)}) {
            assertThatCode(() -> IdempotencyKeys.checkKey(good, "key")).as(good).doesNotThrowAnyException();
        }
        for (String bad : new String[] {"", "k".repeat(256), "tab\there", "line\nbreak", "caf\u00e9", "nul\u0000",
                "del\u007f"}) {
            assertThatThrownBy(() -> IdempotencyKeys.checkKey(bad, "key")).as(bad)
                    .isInstanceOfSatisfying(ApiException.class,
                            refused -> org.assertj.core.api.Assertions.assertThat(refused.getStatus()).isEqualTo(400));
        }
    }
}
