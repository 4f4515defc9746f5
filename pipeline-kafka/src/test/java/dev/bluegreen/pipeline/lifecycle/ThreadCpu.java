package dev.bluegreen.pipeline.lifecycle;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time spent by this JVM's threads between two points, grouped by what the threads are: a benchmark's answer to
 * "where did the time go", when the broker, the streams and the producers all run in one JVM. Threads are grouped by
 * name with numbers, ids and client names left out, so the eight stream threads of eight instances count as one row.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> startNanos;
    private final long startWall = System.nanoTime();

    private ThreadCpu(Map<Long, Long> startNanos) {
        this.startNanos = startNanos;
    }

    /** CPU time of every live thread now; call {@link #report} later for what was spent since. */
    static ThreadCpu start() {
        Map<Long, Long> now = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            if (cpu >= 0) {
                now.put(id, cpu);
            }
        }
        return new ThreadCpu(now);
    }

    /**
     * Prints CPU seconds spent since {@link #start} per group of threads, the largest first, and the CPU time per
     * deployment when {@code deployments} went through in that time.
     */
    void report(String what, int deployments) {
        double wallSeconds = (System.nanoTime() - startWall) / 1e9;
        Map<String, Long> byGroup = new HashMap<>();
        long total = 0;
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            ThreadInfo info = THREADS.getThreadInfo(id);
            if (cpu < 0 || info == null) {
                continue;
            }
            long spent = cpu - startNanos.getOrDefault(id, 0L);
            byGroup.merge(group(info.getThreadName()), spent, Long::sum);
            total += spent;
        }
        // threads that ended in between are not counted: the report says so through its total
        System.out.printf("CPU time of this JVM's live threads during %s: %.1f s over %.1f s of wall time "
                + "(%d cores), %.1f ms per deployment%n", what, total / 1e9, wallSeconds,
                Runtime.getRuntime().availableProcessors(), total / 1e6 / deployments);
        long shown = total;
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(14)
                .forEach(entry -> System.out.printf("  %6.2f s %4.0f %%  %s%n", entry.getValue() / 1e9,
                        shown == 0 ? 0.0 : 100.0 * entry.getValue() / shown, entry.getKey()));
    }

    /** A thread's name without what differs between instances: ids, numbers, client and group names. */
    static String group(String name) {
        String base = name.contains(" | ") ? name.substring(0, name.indexOf(" | ")) : name;
        return base.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("bench-[a-z]+-[0-9a-f]{8}", "<service>")
                .replaceAll("[0-9]+", "#");
    }
}
