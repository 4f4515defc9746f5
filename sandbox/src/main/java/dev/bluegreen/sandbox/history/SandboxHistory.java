package dev.bluegreen.sandbox.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * What happened in one simulated DigitalOcean, recorded where it happens, so a chaos test can judge the system
 * that drove it: the simulator reports what each load balancer and reserved IP targets after every change (by id,
 * by tag, by a reserved IP's action completing) and each change of health its balancer's checker sees; each droplet
 * reports the commands SSH clients run on it; each proxy reports the requests it relays. Every record carries a
 * {@link Moment}, read under one lock from the JVM's monotonic clock and the wall clock, so the records' order is
 * the order things happened in.
 *
 * <p>The questions a test asks: {@link #commandsWhileServing()} (or {@link #commandsWhileServing(String)} for one
 * entry point), {@link #timesWithoutHealthyDroplet(String)}, {@link #failedRequests(String)} and
 * {@link #requests(String)}.
 *
 * <p>Memory is bounded. Judgements are made as events arrive, so they stay exact however long the sandbox runs:
 * every count is exact, and of the faults found (commands while serving, times without a healthy droplet, failed
 * requests) the <em>first</em> ones are kept ({@value #COMMAND_WHILE_SERVING_LIMIT} in all and as many per entry
 * point, {@value #OUTAGE_LIMIT} and {@value #FAILED_REQUEST_LIMIT} per entry point), so a list that was ever
 * non-empty stays so. The timelines that are only there to look at keep the <em>latest</em> records: the last
 * {@value #COMMAND_LIMIT} commands (their text cut to {@value #COMMAND_TEXT_LIMIT} characters), and per entry point
 * the last {@value #ATTACHMENT_CHANGE_LIMIT} attachment changes, {@value #HEALTH_CHANGE_LIMIT} health changes and
 * {@value #REQUEST_WINDOW_LIMIT} one-second request windows.
 *
 * <p>Thread-safe. Recording never calls out of the history, so it may be called under other locks.
 */
public final class SandboxHistory {

    public static final int COMMAND_LIMIT = 5_000;
    public static final int COMMAND_TEXT_LIMIT = 4_000;
    public static final int COMMAND_WHILE_SERVING_LIMIT = 1_000;
    public static final int ATTACHMENT_CHANGE_LIMIT = 2_000;
    public static final int HEALTH_CHANGE_LIMIT = 5_000;
    public static final int OUTAGE_LIMIT = 1_000;
    public static final int REQUEST_WINDOW_LIMIT = 3_600;
    public static final int FAILED_REQUEST_LIMIT = 1_000;

    private final Moment started = now();
    private final Map<Long, String> dropletNames = new HashMap<>();
    private final Map<String, EntryPoint> entryPoints = new LinkedHashMap<>();
    private final Map<Long, List<RunningCommand>> running = new HashMap<>();
    private final Kept<RunningCommand> commands = Kept.latest(COMMAND_LIMIT);
    private final Kept<RunningCommand> commandsWhileServing = Kept.first(COMMAND_WHILE_SERVING_LIMIT);

    // ---- recording ----

    /** A droplet was created: its name makes the records readable. */
    public synchronized void dropletCreated(long dropletId, String name) {
        dropletNames.put(dropletId, name);
    }

    /**
     * What an entry point targets now; recorded only where it differs from before. A droplet that leaves a load
     * balancer loses its health there.
     *
     * @param entryPointId a load balancer's id, or a reserved IP's address
     * @param name the balancer's name, or the reserved IP's address
     * @param healthChecked true for a load balancer, which sends traffic only to droplets that pass its health check
     * @param cause what changed it, in words
     */
    public synchronized void targets(String entryPointId, String name, boolean healthChecked, List<Long> dropletIds,
            String cause) {
        EntryPoint entryPoint = entryPoints.computeIfAbsent(entryPointId,
                id -> new EntryPoint(id, name, healthChecked));
        entryPoint.name = name;
        entryPoint.healthChecked = healthChecked;
        Moment now = now();
        for (long dropletId : entryPoint.target(dropletIds, cause, now)) {
            update(entryPoint, dropletId, now);
        }
    }

    /** A load balancer's health checker found a droplet it targets healthy, or no longer healthy. */
    public synchronized void healthChanged(String loadBalancerId, long dropletId, boolean healthy) {
        EntryPoint entryPoint = entryPoints.get(loadBalancerId);
        Moment now = now();
        if (entryPoint != null && entryPoint.health(dropletId, healthy, now)) {
            update(entryPoint, dropletId, now);
        }
    }

    /** A droplet starts a command for an SSH client; tell the answer how it ended. */
    public synchronized RunningCommand commandStarted(long dropletId, String command) {
        String text = command.length() <= COMMAND_TEXT_LIMIT ? command : command.substring(0, COMMAND_TEXT_LIMIT);
        RunningCommand started = new RunningCommand(this, dropletId, text, now());
        for (EntryPoint entryPoint : entryPoints.values()) {
            Serving serving = entryPoint.serving.get(dropletId);
            if (serving != null) {
                started.servedDuring.add(serving);
            }
        }
        running.computeIfAbsent(dropletId, id -> new ArrayList<>()).add(started);
        commands.add(started);
        return started;
    }

    synchronized void commandEnded(RunningCommand command, int exitStatus, boolean killed) {
        if (command.ended != null) {
            return;
        }
        command.ended = now();
        command.exitStatus = exitStatus;
        command.killed = killed;
        List<RunningCommand> onDroplet = running.getOrDefault(command.dropletId, new ArrayList<>());
        onDroplet.remove(command);
        if (onDroplet.isEmpty()) {
            running.remove(command.dropletId);
        }
        if (!command.servedDuring.isEmpty()) {
            commandsWhileServing.add(command);
            command.servedDuring.stream().map(serving -> serving.entryPoint).distinct()
                    .forEach(entryPoint -> entryPoint.commandsWhileServing.add(command));
        }
    }

    /**
     * A proxy is done with a request: it answered, or the answer broke off.
     *
     * @param entryPointId the load balancer's id or the reserved IP's address
     * @param status the status the client got, or -1 for none
     * @param dropletId the droplet that answered, or null when none did
     * @param error what broke off the answer, or null when the client got all of it
     */
    public synchronized void requestRelayed(String entryPointId, String method, String path, int status,
            @Nullable Long dropletId, @Nullable String error) {
        EntryPoint entryPoint = entryPoints.computeIfAbsent(entryPointId,
                id -> new EntryPoint(id, id, true));
        entryPoint.request(now(), started, method, path, status, dropletId, error);
    }

    /** A proxy's client went away before it had the whole answer: counted, but not as the balancer's failure. */
    public synchronized void requestAbandoned(String entryPointId) {
        entryPoints.computeIfAbsent(entryPointId, id -> new EntryPoint(id, id, true)).abandoned(now(), started);
    }

    private void update(EntryPoint entryPoint, long dropletId, Moment now) {
        Serving started = entryPoint.update(dropletId, now);
        if (started != null) {
            running.getOrDefault(dropletId, List.of()).forEach(command -> command.servedDuring.add(started));
        }
    }

    // ---- questions ----

    /** When the history started. */
    public Moment started() {
        return started;
    }

    /** Now, on the history's clocks: a mark to compare records with. */
    public synchronized Moment now() {
        return new Moment(System.nanoTime(), Instant.now());
    }

    /**
     * Every command that ran on a droplet, for however short a while, while the droplet took traffic: a load
     * balancer had it attached and healthy, or a reserved IP pointed at it. Commands still running are included.
     * In the order they started; each one's {@link CommandWhileServing#description()} says it all in words.
     */
    public synchronized List<CommandWhileServing> commandsWhileServing() {
        return whileServing(commandsWhileServing, serving -> true);
    }

    /**
     * The same, for one entry point only: the commands that ran on a droplet while this load balancer (or reserved
     * IP) sent it traffic. Where several entry points exist and users come in through one of them (the sandbox's
     * reserved IP mode keeps a balancer on blue beside the reserved IP), this is the question to ask.
     */
    public synchronized List<CommandWhileServing> commandsWhileServing(String entryPointId) {
        EntryPoint entryPoint = entryPoint(entryPointId);
        return whileServing(entryPoint.commandsWhileServing, serving -> serving.entryPoint == entryPoint);
    }

    private List<CommandWhileServing> whileServing(Kept<RunningCommand> finished, Predicate<Serving> counted) {
        List<RunningCommand> found = new ArrayList<>(finished.items());
        running.values().stream().flatMap(List::stream)
                .filter(command -> command.servedDuring.stream().anyMatch(counted)).forEach(found::add);
        return found.stream().sorted(Comparator.comparing(command -> command.started))
                .map(command -> CommandWhileServing.of(snapshot(command),
                        command.servedDuring.stream().filter(counted).map(Serving::snapshot).toList()))
                .toList();
    }

    /** How many commands ran while their droplet took traffic, finished ones only, kept or not. */
    public synchronized long commandsWhileServingCount() {
        return commandsWhileServing.count();
    }

    /** The latest commands SSH clients ran on any droplet, in the order they started. */
    public synchronized List<CommandRun> commands() {
        return commands.items().stream().map(this::snapshot).toList();
    }

    /** The latest commands SSH clients ran on one droplet, in the order they started. */
    public synchronized List<CommandRun> commandsOn(long dropletId) {
        return commands.items().stream().filter(command -> command.dropletId == dropletId).map(this::snapshot)
                .toList();
    }

    /** The ids of the load balancers and reserved IPs the history knows, oldest first. */
    public synchronized List<String> entryPoints() {
        return List.copyOf(entryPoints.keySet());
    }

    /** The droplets an entry point targets now. */
    public synchronized List<Long> attached(String entryPointId) {
        return List.copyOf(entryPoint(entryPointId).attached);
    }

    /** The latest changes of what an entry point targets, oldest first; the first is its creation. */
    public synchronized List<AttachmentChange> attachments(String entryPointId) {
        return entryPoint(entryPointId).attachments.items();
    }

    /** The latest changes of health a load balancer's checker saw, oldest first. */
    public synchronized List<HealthChange> healthChanges(String loadBalancerId) {
        return entryPoint(loadBalancerId).healthChanges.items();
    }

    /**
     * The stretches of time during which a load balancer had no attached droplet that its checker found healthy
     * (for a reserved IP: pointed at no droplet), counted only after it first had one, so the start-up does not
     * count. The last one has no end while it goes on.
     */
    public synchronized List<Span> timesWithoutHealthyDroplet(String entryPointId) {
        return entryPoint(entryPointId).timesWithoutServing();
    }

    /**
     * The first requests an entry point relayed that failed: the client got a status outside 2xx (the proxy's own
     * 502, 503 and 504 included), or an answer the droplet broke off.
     */
    public synchronized List<FailedRequest> failedRequests(String entryPointId) {
        return entryPoint(entryPointId).failures.items();
    }

    /** How many requests an entry point relayed and how many failed, in all and per second. */
    public synchronized RequestTally requests(String entryPointId) {
        return entryPoint(entryPointId).tally(started);
    }

    /** All of it at once, for a person to look at. */
    public synchronized HistoryView view() {
        List<HistoryView.EntryPointView> views = entryPoints.values().stream()
                .map(entryPoint -> new HistoryView.EntryPointView(entryPoint.id, entryPoint.describedName(),
                        List.copyOf(entryPoint.attached),
                        entryPoint.attached.stream().filter(entryPoint.healthy::contains).toList(),
                        entryPoint.timesWithoutServing(), entryPoint.tally(started),
                        entryPoint.failures.items(), entryPoint.attachments.items(),
                        entryPoint.healthChanges.items()))
                .toList();
        return new HistoryView(started, now(), commandsWhileServing(), views, commands.count(), commands());
    }

    private EntryPoint entryPoint(String id) {
        EntryPoint entryPoint = entryPoints.get(id);
        if (entryPoint == null) {
            throw new IllegalArgumentException("The sandbox's history knows no load balancer or reserved IP " + id
                    + "; it knows " + entryPoints.keySet());
        }
        return entryPoint;
    }

    private CommandRun snapshot(RunningCommand command) {
        return command.snapshot(dropletNames.getOrDefault(command.dropletId, "unnamed"));
    }
}
