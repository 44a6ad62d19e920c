package dev.reelroute.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link JmsProducerMain} (the Jakarta JMS producer of docs/jms.md) in a JVM of its own on the test classpath, against
 * a broker over TCP, and waits for it to end. Its output: {@code REPLY <correlationId> <json>}, then
 * {@code EVENT <type> <json>} lines of the answered job.
 */
public final class JmsProducerProcess {
    /** Each message (the answer, the next event) is waited for this long by the child. */
    private static final int RECEIVE_SECONDS = 120;

    private JmsProducerProcess() {}

    public record Outcome(int exitCode, String output) {
        public List<String> lines() {
            return output.lines().toList();
        }

        /** The answer's JSON; its correlation id is checked against what the child set. */
        public JsonNode reply() throws Exception {
            String prefix = "REPLY " + JmsProducerMain.CORRELATION_ID + " ";
            String line = lines().stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("No correlated reply in:\n" + output));
            return new ObjectMapper().readTree(line.substring(prefix.length()));
        }

        /** The event types of the answered job, in order. */
        public List<String> eventTypes() {
            return lines().stream().filter(l -> l.startsWith("EVENT ")).map(l -> l.split(" ")[1]).toList();
        }
    }

    public static Outcome run(String brokerUrl, String user, String password, String apiKey, String accountId,
                              String request) throws Exception {
        Path output = Files.createTempFile("jms-producer-", ".log");
        List<String> command = ChildProcesses.java("128m");
        command.addAll(List.of(
                // surefire runs tests from a manifest-only jar; the real classpath is in this property
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                JmsProducerMain.class.getName(),
                brokerUrl, user, password, apiKey, accountId, request, String.valueOf(RECEIVE_SECONDS)));
        Process process = ChildProcesses.start(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()));
        process.getOutputStream().close();
        try {
            if (!process.waitFor(2L * RECEIVE_SECONDS + 60, TimeUnit.SECONDS)) {
                throw new AssertionError("The producer process did not end:\n" + Files.readString(output));
            }
            return new Outcome(process.exitValue(), Files.readString(output));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
