package dev.reelroute.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Where the suite's CPU goes: for each test class, the CPU time of this test JVM and of the child processes it has
 * reaped while the class ran (FFmpeg, service, broker and database processes), one line each in
 * {@code target/class-cpu.tsv} (class, wall, own CPU, children's CPU in milliseconds; the test JVM's pid; the start
 * in epoch milliseconds, so each JVM's timeline can be laid out). Wall time alone misleads here:
 * several test JVMs share two cores, so a class that waits looks as long as one that computes. Read from
 * {@code /proc/self/stat}; on a system without it nothing is written. Registered for every test JVM through
 * {@code META-INF/services}.
 */
public final class ClassCpuReport implements TestExecutionListener {
    private static final Path REPORT = Path.of("target", "class-cpu.tsv");
    private static final Path STAT = Path.of("/proc/self/stat");
    /** The kernel's clock ticks a second (USER_HZ), 100 on every Linux this runs on. */
    private static final long TICK_MILLIS = 10;

    private final Map<String, long[]> atStart = new ConcurrentHashMap<>();

    @Override
    public void executionStarted(TestIdentifier test) {
        if (isClass(test)) {
            long[] cpu = cpuTicks();
            if (cpu != null) {
                atStart.put(test.getUniqueId(), new long[] {System.nanoTime(), cpu[0], cpu[1],
                        System.currentTimeMillis()});
            }
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        long[] start = atStart.remove(test.getUniqueId());
        long[] cpu = cpuTicks();
        if (start == null || cpu == null) {
            return;
        }
        String line = String.join("\t", ((ClassSource) test.getSource().orElseThrow()).getClassName(),
                "" + (System.nanoTime() - start[0]) / 1_000_000, "" + (cpu[0] - start[1]) * TICK_MILLIS,
                "" + (cpu[1] - start[2]) * TICK_MILLIS, "" + ProcessHandle.current().pid(), "" + start[3]) + "\n";
        try {
            Files.writeString(REPORT, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException unwritable) {
            // a report, not a test: the run goes on without it
        }
    }

    private static boolean isClass(TestIdentifier test) {
        return test.isContainer() && test.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    /** This process's user + system ticks and its reaped children's, or null where /proc is not there. */
    private static long[] cpuTicks() {
        try {
            String stat = Files.readString(STAT);
            // fields after the command name, which is in parentheses and may hold spaces: state is field 3
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }
}
