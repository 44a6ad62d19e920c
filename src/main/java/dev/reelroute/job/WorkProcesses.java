package dev.reelroute.job;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The external processes (FFmpeg, espeak-ng) working on one job or run, found in the process table by its work
 * directory, which every one of them names in its arguments. The process table, not a handle kept by whoever started
 * them, because a worker that died (SIGKILL) leaves its children running, and only the table still knows them.
 */
public final class WorkProcesses {
    private static final long SELF = ProcessHandle.current().pid();

    private WorkProcesses() {}

    /** The processes whose arguments name {@code workDir} or a file in it. */
    public static List<ProcessHandle> of(Path workDir) {
        String dir = workDir.toAbsolutePath().normalize().toString();
        String inside = dir + File.separator;
        return ProcessHandle.allProcesses()
                .filter(process -> process.pid() != SELF)
                .filter(process -> process.info().arguments()
                        .map(args -> Arrays.stream(args).anyMatch(arg -> arg.equals(dir) || arg.contains(inside)))
                        .orElse(false))
                .toList();
    }

    /** Kills them (SIGKILL: their output is thrown away anyway) and waits briefly for them to go; how many there were. */
    public static int killAll(Path workDir) {
        List<ProcessHandle> processes = of(workDir);
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception stillThere) {
                // a zombie of another parent, or a process we may not kill: nothing more to do
            }
        }
        return processes.size();
    }
}
