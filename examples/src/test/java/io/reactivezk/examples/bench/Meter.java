package io.reactivezk.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one cell cost the client JVM: process CPU time, bytes allocated by all its threads, and context switches of
 * all its threads (Linux {@code /proc}; -1 where unavailable). The server runs in another process, so these are the
 * client's alone (unless the benchmark runs the server in-process, as its smoke test does).
 */
final class Meter {

    record Sample(long cpuNanos, long allocatedBytes, long contextSwitches) {

        Sample minus(Sample before) {
            return new Sample(
                    cpuNanos - before.cpuNanos,
                    allocatedBytes - before.allocatedBytes,
                    contextSwitches < 0 || before.contextSwitches < 0 ? -1 : contextSwitches - before.contextSwitches);
        }
    }

    private static final Path TASKS = Path.of("/proc/self/task");

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    Meter() {
        if (!threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    /** Before a cell: reading {@code /proc} allocates, so it comes before the allocation count. */
    Sample begin() {
        long switches = contextSwitches();
        return new Sample(os.getProcessCpuTime(), allocated(), switches);
    }

    /** After a cell: the allocation count first, for the same reason. */
    Sample end() {
        long allocated = allocated();
        long cpu = os.getProcessCpuTime();
        return new Sample(cpu, allocated, contextSwitches());
    }

    private long allocated() {
        long allocated = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (bytes > 0) {
                allocated += bytes;
            }
        }
        return allocated;
    }

    private static long contextSwitches() {
        if (!Files.isDirectory(TASKS)) {
            return -1;
        }
        long total = 0;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(task.resolve("status"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                for (String line : lines) {
                    if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                        total += Long.parseLong(
                                line.substring(line.indexOf(':') + 1).strip());
                    }
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }
}
