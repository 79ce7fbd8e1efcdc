package io.reactivezk.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one cell cost the client JVM: CPU time and bytes allocated of all its Java threads, and context switches of
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

    Meter() {
        if (!threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure CPU time per thread");
        }
        threads.setThreadCpuTimeEnabled(true);
    }

    /** Before a cell: reading {@code /proc} allocates, so it comes before the allocation count. */
    Sample begin() {
        long switches = contextSwitches();
        long[] ids = threads.getAllThreadIds();
        return new Sample(cpu(ids), allocated(ids), switches);
    }

    /** After a cell: the allocation count first, for the same reason. */
    Sample end() {
        long[] ids = threads.getAllThreadIds();
        long allocated = allocated(ids);
        long cpu = cpu(ids);
        return new Sample(cpu, allocated, contextSwitches());
    }

    /** Every Java thread's bytes allocated so far. */
    private long allocated(long[] ids) {
        long allocated = 0;
        for (long bytes : threads.getThreadAllocatedBytes(ids)) {
            if (bytes > 0) {
                allocated += bytes;
            }
        }
        return allocated;
    }

    /**
     * Every Java thread's CPU time so far, in nanoseconds: finer than the process's CPU time (which Linux counts in
     * 10 ms ticks, 1 µs per operation in a 10,000-operation cell), without the JVM's own GC and compiler threads.
     */
    private long cpu(long[] ids) {
        long total = 0;
        for (long nanos : threads.getThreadCpuTime(ids)) {
            if (nanos > 0) {
                total += nanos;
            }
        }
        return total;
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
