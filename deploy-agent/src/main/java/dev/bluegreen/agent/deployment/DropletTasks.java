package dev.bluegreen.agent.deployment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of one deployment on its droplets, side by side. Closing it stops what still runs and waits until it has
 * really stopped: {@code Future.cancel} only asks, and a deployment that was stopped must not leave a step running
 * that the app's next deployment would run into.
 */
final class DropletTasks<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DropletTasks.class);

    /** More than connecting (it has its own timeout) and closing an SSH channel take. */
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private final List<Future<@Nullable T>> futures = new ArrayList<>();

    /** Set by whoever comes first: the task as it begins, or {@link #close} so that it never begins. */
    private final List<AtomicBoolean> claims = new ArrayList<>();

    private final CountDownLatch ended;

    private DropletTasks(ExecutorService threads, List<Callable<T>> tasks) {
        ended = new CountDownLatch(tasks.size());
        for (Callable<T> task : tasks) {
            AtomicBoolean claim = new AtomicBoolean();
            claims.add(claim);
            futures.add(threads.submit(() -> {
                if (!claim.compareAndSet(false, true)) {
                    return null;
                }
                try {
                    return task.call();
                }
                finally {
                    ended.countDown();
                }
            }));
        }
    }

    /** Starts every task on {@code threads}. */
    static <T> DropletTasks<T> start(ExecutorService threads, List<Callable<T>> tasks) {
        return new DropletTasks<>(threads, tasks);
    }

    /** The tasks' futures, in the order of the tasks. */
    List<Future<@Nullable T>> futures() {
        return futures;
    }

    /** Stops the tasks still running (they are interrupted) and waits until every one has ended. */
    @Override
    public void close() {
        for (int i = 0; i < futures.size(); i++) {
            if (claims.get(i).compareAndSet(false, true)) {
                ended.countDown();
            }
            futures.get(i).cancel(true);
        }
        // this thread may be interrupted itself, which is why the tasks stop: wait all the same, then say so again
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        try {
            while (true) {
                try {
                    if (!ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        log.warn("{} droplet task(s) had not stopped {} s after they were asked to.",
                                ended.getCount(), STOP_TIMEOUT.toSeconds());
                    }
                    return;
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
