package dev.reelroute.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The executor with the stdin feeder, on real processes. */
class WholeWritesExecutorTest {
    private final WholeWritesExecutor executor = new WholeWritesExecutor();

    @Test
    void theProcessReadsTheWholeInputUnchanged() throws IOException {
        byte[] input = new byte[5 * 1024 * 1024 + 17];
        new Random(7).nextBytes(input);
        ExecResult result = executor.execute(command("cat", List.of(), new ByteArrayInputStream(input)));
        assertThat(result.getExitValue()).isZero();
        assertThat(result.getStdout().readAllBytes()).isEqualTo(input);
    }

    @Test
    void aProcessThatStopsReadingEarlyEndsTheRunWithItsOwnExitValue() throws IOException {
        // far more than any pipe holds, so the feeder is still writing when head exits
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                java.util.Arrays.fill(into, offset, offset + length, (byte) 'x');
                return length;
            }
        };
        ExecResult result = executor.execute(command("head", List.of("-c", "100"), endless));
        assertThat(result.getExitValue()).isZero();
        assertThat(result.getStdout().readAllBytes()).hasSize(100);
    }

    @Test
    void withoutABodyStdinIsClosedAsCamelExecDoes() throws IOException {
        ExecResult result = executor.execute(command("cat", List.of(), null));
        assertThat(result.getExitValue()).isZero();
        assertThat(result.getStdout()).isNull();
    }

    private static ExecCommand command(String executable, List<String> arguments, InputStream input) {
        return new ExecCommand(executable, arguments, null, 60_000L, Set.of(), input, null, false, LoggingLevel.OFF);
    }
}
