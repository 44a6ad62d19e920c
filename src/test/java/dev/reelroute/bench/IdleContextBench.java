package dev.reelroute.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.support.LocalReceiversServiceTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What an idle cached test context costs, running and with its Camel context suspended as
 * {@code SuspendCamelWhileCached} leaves it between classes: the CPU its threads spend over 30 s, by thread name
 * (docs/testing.md, "Idle contexts suspended"). Run with
 * {@code mvn -o -q test -Dtest=IdleContextBench -Dreelroute.bench=true}.
 */
@EnabledIfSystemProperty(named = "reelroute.bench", matches = "true")
class IdleContextBench extends LocalReceiversServiceTest {
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final Duration MEASURED = Duration.ofSeconds(30);

    @Autowired
    CamelContext camel;

    @Test
    void idleCpuRunningAndSuspended() throws InterruptedException {
        Thread.sleep(SETTLE.toMillis()); // the start's own work done: what follows is what idling costs
        Map<String, Long> running = threadCpuOver(MEASURED);
        camel.suspend();
        Map<String, Long> suspended = threadCpuOver(MEASURED);
        camel.resume();
        print("running", running);
        print("suspended", suspended);
        assertThat(total(suspended)).isLessThan(total(running));
    }

    /** CPU nanoseconds each thread name (digits folded) spent over {@code span}. */
    private static Map<String, Long> threadCpuOver(Duration span) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> before = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            before.put(id, threads.getThreadCpuTime(id));
        }
        Thread.sleep(span.toMillis()); // a fixed span to measure over, not a wait for something
        Map<String, Long> byName = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long now = threads.getThreadCpuTime(id);
            if (info != null && now >= 0) {
                byName.merge(info.getThreadName().replaceAll("\\d+", "#"), now - before.getOrDefault(id, 0L),
                        Long::sum);
            }
        }
        return byName;
    }

    private static long total(Map<String, Long> byName) {
        return byName.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void print(String state, Map<String, Long> byName) {
        System.out.printf("idle context, %s: %.2f CPU-s over %d s%n", state, total(byName) / 1e9, MEASURED.toSeconds());
        byName.entrySet().stream().filter(e -> e.getValue() >= 20_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf("  %.2f %s%n", e.getValue() / 1e9, e.getKey()));
    }
}
