package dev.bluegreen.sandbox.history;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Where users come in, a load balancer or a reserved IP, as the history saw it: what it targets, which targets are
 * healthy, which of them take traffic, when none did, and the requests it relayed. Guarded by the history's lock.
 */
final class EntryPoint {

    final String id;
    String name;
    /** A load balancer sends traffic only to targets that pass its health check; a reserved IP checks nothing. */
    boolean healthChecked;
    final Set<Long> attached = new LinkedHashSet<>();
    final Set<Long> healthy = new HashSet<>();
    final Map<Long, Serving> serving = new LinkedHashMap<>();
    final Kept<AttachmentChange> attachments = Kept.latest(SandboxHistory.ATTACHMENT_CHANGE_LIMIT);
    final Kept<HealthChange> healthChanges = Kept.latest(SandboxHistory.HEALTH_CHANGE_LIMIT);
    final Kept<Span> timesWithoutServing = Kept.first(SandboxHistory.OUTAGE_LIMIT);
    private @Nullable Moment withoutServingSince;
    private boolean everServed;
    private long requests;
    private long failed;
    private long abandoned;
    private final Kept<Window> windows = Kept.latest(SandboxHistory.REQUEST_WINDOW_LIMIT);
    final Kept<FailedRequest> failures = Kept.first(SandboxHistory.FAILED_REQUEST_LIMIT);
    /** Finished commands that ran on a droplet while it took traffic from here. */
    final Kept<RunningCommand> commandsWhileServing = Kept.first(SandboxHistory.COMMAND_WHILE_SERVING_LIMIT);

    EntryPoint(String id, String name, boolean healthChecked) {
        this.id = id;
        this.name = name;
        this.healthChecked = healthChecked;
    }

    String describedName() {
        return healthChecked ? "load balancer " + name + " (" + id + ")" : "reserved IP " + id;
    }

    /**
     * Records what it targets now, if that changed; a droplet that left loses its health here.
     *
     * @return the droplets that joined or left; empty when nothing changed
     */
    List<Long> target(List<Long> dropletIds, String cause, Moment at) {
        Set<Long> now = new LinkedHashSet<>(dropletIds);
        List<Long> added = now.stream().filter(id -> !attached.contains(id)).toList();
        List<Long> removed = attached.stream().filter(id -> !now.contains(id)).toList();
        if (added.isEmpty() && removed.isEmpty()) {
            return List.of();
        }
        attached.clear();
        attached.addAll(now);
        attachments.add(new AttachmentChange(at, List.copyOf(now), added, removed, cause));
        for (long gone : removed) {
            if (healthy.remove(gone)) {
                healthChanges.add(new HealthChange(at, gone, false, "it left the load balancer"));
            }
        }
        List<Long> changed = new ArrayList<>(added);
        changed.addAll(removed);
        return changed;
    }

    /** Records a change of health its checker saw; false when it was no change. */
    boolean health(long dropletId, boolean isHealthy, Moment at) {
        boolean changed = isHealthy ? attached.contains(dropletId) && healthy.add(dropletId)
                : healthy.remove(dropletId);
        if (changed) {
            healthChanges.add(new HealthChange(at, dropletId, isHealthy, "its health check"));
        }
        return changed;
    }

    /**
     * Starts or ends the droplet's serving after a change of its targets or health, and notes when the entry point
     * has no droplet serving.
     *
     * @return the serving that started now, or null
     */
    @Nullable Serving update(long dropletId, Moment at) {
        boolean serves = attached.contains(dropletId) && (!healthChecked || healthy.contains(dropletId));
        Serving open = serving.get(dropletId);
        Serving started = null;
        if (serves && open == null) {
            started = new Serving(this, dropletId, at);
            serving.put(dropletId, started);
        } else if (!serves && open != null) {
            open.until = at;
            serving.remove(dropletId);
        }
        if (!serving.isEmpty()) {
            everServed = true;
            if (withoutServingSince != null) {
                timesWithoutServing.add(new Span(withoutServingSince, at));
                withoutServingSince = null;
            }
        } else if (everServed && withoutServingSince == null) {
            withoutServingSince = at;
        }
        return started;
    }

    List<Span> timesWithoutServing() {
        List<Span> spans = new ArrayList<>(timesWithoutServing.items());
        if (withoutServingSince != null && timesWithoutServing.count() < SandboxHistory.OUTAGE_LIMIT) {
            spans.add(new Span(withoutServingSince, null));
        }
        return spans;
    }

    void request(Moment at, Moment origin, String method, String path, int status, @Nullable Long dropletId,
            @Nullable String error) {
        boolean failedNow = error != null || status < 200 || status > 299;
        Window window = window(at, origin);
        if (failedNow) {
            failed++;
            window.failed++;
            failures.add(new FailedRequest(at, method, path, status, dropletId, error));
        }
    }

    void abandoned(Moment at, Moment origin) {
        abandoned++;
        window(at, origin).abandoned++;
    }

    /** Counts a request in all and in its second's window, which it returns. */
    private Window window(Moment at, Moment origin) {
        requests++;
        long second = at.since(origin).toSeconds();
        Window window = windows.last();
        if (window == null || window.second != second) {
            window = new Window(second);
            windows.add(window);
        }
        window.requests++;
        return window;
    }

    RequestTally tally(Moment origin) {
        return new RequestTally(requests, failed, abandoned,
                windows.items().stream().map(window -> window.snapshot(origin)).toList());
    }

    /** The requests of one second, counted on the monotonic clock from the history's start. */
    private static final class Window {
        final long second;
        long requests;
        long failed;
        long abandoned;

        Window(long second) {
            this.second = second;
        }

        RequestWindow snapshot(Moment origin) {
            long nanos = second * 1_000_000_000L;
            return new RequestWindow(new Moment(origin.monotonicNanos() + nanos, origin.wall().plusNanos(nanos)),
                    requests, failed, abandoned);
        }
    }
}
