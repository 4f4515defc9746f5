package dev.bluegreen.sandbox.digitalocean;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

import org.jspecify.annotations.Nullable;

/**
 * The failures the simulated API injects, changeable while it runs: a share of answers by
 * {@link FaultSettings} (seeded, so repeatable), and planned ones for "the next N requests", optionally only those
 * of one HTTP method. Planned faults come first, in the order they were planned.
 *
 * <pre>{@code
 * simulator.faults().failNext(2, "POST");        // the next two POSTs answer 500
 * simulator.faults().dropNext(1);               // the next request's connection is closed without an answer
 * simulator.faults().loseAnswerNext(1, "POST");  // the next POST is carried out, then closed without an answer
 * simulator.faults().slowNext(1, Duration.ofSeconds(3));
 * simulator.faults().set(FaultSettings.NONE.withServerErrorShare(0.2));
 * }</pre>
 */
public final class ApiFaults {

    /** What happens to one request. */
    enum Kind {
        SERVER_ERROR, DROPPED_CONNECTION, ANSWER_LOST, SLOW
    }

    /**
     * The fate of one request: dropped before it is carried out, answered 500, carried out but its answer lost,
     * and how long it waits first.
     */
    record Decision(boolean dropped, boolean serverError, boolean answerLost, Duration delay) {
    }

    private record Planned(Kind kind, @Nullable String method, Duration delay) {
    }

    private final Deque<Planned> planned = new ArrayDeque<>();
    private FaultSettings settings;
    private Random random;
    private long injected;

    ApiFaults(FaultSettings settings) {
        set(settings);
    }

    /** Replaces the shares and latency, and restarts the random sequence from the seed. */
    public synchronized void set(FaultSettings newSettings) {
        settings = Objects.requireNonNull(newSettings, "settings");
        random = new Random(newSettings.seed());
    }

    public synchronized FaultSettings settings() {
        return settings;
    }

    /** The next {@code count} requests answer {@code 500 server_error}. */
    public void failNext(int count) {
        plan(Kind.SERVER_ERROR, count, null, Duration.ZERO);
    }

    /** The next {@code count} requests with this method (such as {@code POST}) answer {@code 500 server_error}. */
    public void failNext(int count, String method) {
        plan(Kind.SERVER_ERROR, count, method, Duration.ZERO);
    }

    /** The next {@code count} requests have their connection closed without an answer. */
    public void dropNext(int count) {
        plan(Kind.DROPPED_CONNECTION, count, null, Duration.ZERO);
    }

    /** The next {@code count} requests with this method have their connection closed without an answer. */
    public void dropNext(int count, String method) {
        plan(Kind.DROPPED_CONNECTION, count, method, Duration.ZERO);
    }

    /**
     * The next {@code count} requests with this method are carried out (a change is made), but their connection is
     * closed without an answer, as when a network fails on the way back: the client cannot tell whether it worked.
     */
    public void loseAnswerNext(int count, String method) {
        plan(Kind.ANSWER_LOST, count, method, Duration.ZERO);
    }

    /** The next {@code count} requests are answered, but {@code delay} later than they would be. */
    public void slowNext(int count, Duration delay) {
        plan(Kind.SLOW, count, null, delay);
    }

    /** No planned faults and {@link FaultSettings#NONE}. */
    public synchronized void clear() {
        planned.clear();
        set(FaultSettings.NONE);
    }

    /** How many requests were dropped, failed or slowed so far. */
    public synchronized long injected() {
        return injected;
    }

    /** Planned faults not yet spent. */
    public synchronized int pending() {
        return planned.size();
    }

    synchronized Decision next(String method) {
        Duration delay = settings.addedLatency();
        Planned fault = takePlanned(method);
        boolean dropped = false;
        boolean serverError = false;
        boolean answerLost = false;
        if (fault != null) {
            dropped = fault.kind() == Kind.DROPPED_CONNECTION;
            serverError = fault.kind() == Kind.SERVER_ERROR;
            answerLost = fault.kind() == Kind.ANSWER_LOST;
            delay = delay.plus(fault.delay());
        } else if (settings.droppedShare() > 0 || settings.serverErrorShare() > 0) {
            double draw = random.nextDouble();
            dropped = draw < settings.droppedShare();
            serverError = !dropped && draw < settings.droppedShare() + settings.serverErrorShare();
        }
        if (dropped || serverError || answerLost || !delay.isZero()) {
            injected++;
        }
        return new Decision(dropped, serverError, answerLost, delay);
    }

    private synchronized void plan(Kind kind, int count, @Nullable String method, Duration delay) {
        if (count < 1) {
            throw new IllegalArgumentException("Plan at least one faulty request, was " + count);
        }
        Objects.requireNonNull(delay, "delay");
        String upper = method == null ? null : method.toUpperCase(Locale.ROOT);
        for (int i = 0; i < count; i++) {
            planned.addLast(new Planned(kind, upper, delay));
        }
    }

    private @Nullable Planned takePlanned(String method) {
        for (Iterator<Planned> it = planned.iterator(); it.hasNext();) {
            Planned next = it.next();
            if (next.method() == null || next.method().equals(method)) {
                it.remove();
                return next;
            }
        }
        return null;
    }
}
