package dev.reelroute.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderLogLinesTest {
    @Test
    void eachLineIsGivenOnceAcrossPollsAndProgressBarsAreLeftToTheProgress() {
        ProviderLogLines lines = new ProviderLogLines(10);
        assertThat(lines.fresh(List.of("loading weights", "  10%|#         | 1/10"))).containsExactly("loading weights");
        assertThat(lines.fresh(List.of("loading weights", "  60%|######    | 6/10", "sampling")))
                .containsExactly("sampling");
        assertThat(lines.fresh(List.of("loading weights", "sampling", "100%|##########| 10/10", "writing video")))
                .containsExactly("writing video");
        assertThat(lines.fresh(List.of("loading weights", "sampling", "writing video"))).isEmpty();
        // a percent inside a sentence is a log line, not a bar
        assertThat(lines.fresh(List.of("Generating 40% done"))).containsExactly("Generating 40% done");
    }

    @Test
    void pastTheLimitOneLineSaysSoAndNothingMoreIsGiven() {
        ProviderLogLines lines = new ProviderLogLines(2);
        assertThat(lines.fresh(List.of("a", "b", "c", "d")))
                .containsExactly("a", "b", "(further provider log lines are not kept: 2 is the limit)");
        assertThat(lines.fresh(List.of("e"))).isEmpty();
    }
}
