package dev.reelroute.media;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessRunnerTest {

    @Test
    void capturesStdoutUpToTheLimitAndDrainsTheRest() throws IOException {
        // One second of 44.1 kHz mono s16le is ~88 KB on stdout.
        ProcessRunner.Result result = ProcessRunner.run(List.of(Fixtures.FFMPEG, "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", "sine=duration=1", "-f", "s16le", "-"), Duration.ofSeconds(30), 1000);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).hasSize(1000);
        assertThat(result.stdoutTruncated()).isTrue();
    }

    @Test
    void killsAProcessThatOutlivesItsTimeout() {
        // An endless sine at real-time speed would run forever.
        String marker = "endless-" + java.util.UUID.randomUUID();
        List<String> endless = List.of(Fixtures.FFMPEG, "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "sine", "-metadata", "comment=" + marker, "-f", "null", "-");

        assertThatThrownBy(() -> ProcessRunner.run(endless, Duration.ofMillis(500), 1000))
                .isInstanceOf(ProcessRunner.TimeoutException.class);
        assertThat(ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false)))
                .as("the process is gone").isEmpty();
    }

    @Test
    void reportsExitCodeAndStderr() throws IOException {
        ProcessRunner.Result result = ProcessRunner.run(List.of(Fixtures.FFPROBE, "-v", "error", "/no/such/file"),
                Duration.ofSeconds(10), 1000);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("No such file");
    }
}
