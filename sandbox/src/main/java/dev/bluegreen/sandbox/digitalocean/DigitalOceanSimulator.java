package dev.bluegreen.sandbox.digitalocean;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.sandbox.history.SandboxHistory;

/**
 * DigitalOcean's state, in memory and thread-safe: droplets, load balancers, tags, reserved IPs and their actions,
 * and each balancer's view of its droplets' health. The API server and the load balancer proxy read and change it;
 * sandbox code and tests set it up directly.
 *
 * <p>Changes a client can make through the API ({@link #attachDroplets}, {@link #detachDroplets},
 * {@link #replaceLoadBalancer}, {@link #tagDroplets}, {@link #untagDroplets}, {@link #assignReservedIp},
 * {@link #unassignReservedIp}) are refused the way DigitalOcean refuses them, with an {@link ApiException}.
 *
 * <p>Health: a balancer's checker ({@code LoadBalancerProxy} starts one) reports each probe with
 * {@link #recordHealthCheck}; the simulator applies the balancer's thresholds, and a droplet is healthy only after
 * {@code healthy_threshold} passes in a row since it became a target. A droplet that stops being a target (detached,
 * untagged, destroyed) loses its health, so one that comes back starts over.
 *
 * <p>Its {@link #history()} records what each balancer and reserved IP targeted and each change of health, as it
 * happened.
 */
public final class DigitalOceanSimulator {

    /** The region every simulated resource lives in. */
    public static final String REGION = "nyc3";

    static final String BUSY_MESSAGE = "Load Balancer can't be updated while it processes previous actions";

    private static final Logger log = LoggerFactory.getLogger(DigitalOceanSimulator.class);
    private static final long FIRST_DROPLET_ID = 3_164_400L;
    private static final long FIRST_ACTION_ID = 36_804_636L;
    /** Seconds of health-check history kept per droplet for the metrics path. */
    private static final int HEALTH_HISTORY_SECONDS = 3_600;

    private final SimulatorSettings settings;
    private final Clock clock;
    private final String vpcUuid = UUID.randomUUID().toString();
    private final String projectId = UUID.randomUUID().toString();
    private final Map<Long, Droplet> droplets = new TreeMap<>();
    private final Map<String, Balancer> balancers = new LinkedHashMap<>();
    private final Set<String> tags = new TreeSet<>();
    private final Map<String, Map<Long, Health>> health = new HashMap<>();
    private final Map<String, HealthMetricsShape> healthMetrics = new HashMap<>();
    private final Map<String, Reservation> reservedIps = new LinkedHashMap<>();
    private final Map<Long, PendingAction> actions = new LinkedHashMap<>();
    private final ApiFaults faults;
    private final SandboxHistory history = new SandboxHistory();
    private long nextDropletId = FIRST_DROPLET_ID;
    private long nextActionId = FIRST_ACTION_ID;

    public DigitalOceanSimulator() {
        this(SimulatorSettings.DEFAULTS);
    }

    public DigitalOceanSimulator(SimulatorSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public DigitalOceanSimulator(SimulatorSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.faults = new ApiFaults(settings.faults());
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** The clock every time-based behaviour (busy window, actions, rate limits) reads. */
    public Clock clock() {
        return clock;
    }

    /**
     * What happened here: the simulator records its balancers' targets and health, the sandbox's droplets and
     * proxies record commands and requests.
     */
    public SandboxHistory history() {
        return history;
    }

    /** The API's injected failures, changeable while it runs. */
    public ApiFaults faults() {
        return faults;
    }

    /** The VPC every simulated droplet and load balancer sits in. */
    public String vpcUuid() {
        return vpcUuid;
    }

    public long addDroplet(String name, URI http, List<String> tags) {
        return addDroplet(name, http, tags, null);
    }

    /**
     * Creates an active droplet whose app answers at {@code http}; its tags are created if new.
     *
     * @param privateIp an IPv4 address on the VPC, or null for none
     */
    public synchronized long addDroplet(String name, URI http, List<String> tags, @Nullable String privateIp) {
        if (privateIp != null && !Representations.isIpv4(privateIp)) {
            throw new IllegalArgumentException("A droplet's private IP must be an IPv4 address, was " + privateIp);
        }
        long id = nextDropletId++;
        droplets.put(id, new Droplet(id, name, List.copyOf(new LinkedHashSet<>(tags)), "active", http, privateIp,
                REGION, now()));
        this.tags.addAll(tags);
        history.dropletCreated(id, name);
        return id;
    }

    /** Destroys a droplet: it leaves every load balancer that listed it. */
    public synchronized void removeDroplet(long id) {
        if (droplets.remove(id) == null) {
            throw ApiException.notFound("Droplet " + id + " was not found");
        }
        balancers.values().forEach(balancer -> balancer.settings =
                balancer.settings.withDropletIds(without(balancer.settings.dropletIds(), List.of(id))));
        reservedIps.values().stream().filter(reservation -> Objects.equals(reservation.dropletId, id))
                .forEach(reservation -> reservation.dropletId = null);
        targetsChanged("droplet " + id + " was destroyed");
    }

    public synchronized Optional<Droplet> droplet(long id) {
        return Optional.ofNullable(droplets.get(id));
    }

    /** Every droplet, by ascending id. */
    public synchronized List<Droplet> droplets() {
        return List.copyOf(droplets.values());
    }

    public synchronized List<Droplet> dropletsTagged(String tag) {
        return droplets.values().stream().filter(droplet -> droplet.hasTag(tag)).toList();
    }

    /** Where the droplet's app answers HTTP, if the droplet exists. */
    public Optional<URI> httpOf(long dropletId) {
        return droplet(dropletId).map(Droplet::http);
    }

    /**
     * Creates an active load balancer that targets the given droplets by id, with DigitalOcean's defaults.
     *
     * @throws ApiException 422 for an unknown droplet or more than ten of them
     */
    public synchronized String addLoadBalancer(String name, List<Long> dropletIds) {
        LoadBalancerSettings wanted = LoadBalancerSettings.byDropletIds(name, REGION, dropletIds);
        requireDroplets(wanted.dropletIds());
        return create(wanted);
    }

    /** Creates an active load balancer that targets every droplet carrying {@code tag}. */
    public synchronized String addTaggedLoadBalancer(String name, String tag) {
        tags.add(tag);
        return create(LoadBalancerSettings.byTag(name, REGION, tag));
    }

    /**
     * Creates an active load balancer as described, such as one with its own health check:
     * {@code LoadBalancerSettings.byDropletIds(...).withHealthCheck(...)}.
     *
     * @throws ApiException 422 for an unknown droplet
     */
    public synchronized String addLoadBalancer(LoadBalancerSettings wanted) {
        requireDroplets(wanted.dropletIds());
        wanted.targetTag().ifPresent(tags::add);
        return create(wanted);
    }

    public synchronized Optional<LoadBalancer> loadBalancer(String id) {
        return Optional.ofNullable(balancers.get(id)).map(this::snapshot);
    }

    /** Every load balancer, oldest first. */
    public synchronized List<LoadBalancer> loadBalancers() {
        return balancers.values().stream().map(this::snapshot).toList();
    }

    /**
     * The droplets the load balancer targets now, by ascending id in tag mode, in the order they were added
     * otherwise.
     *
     * @throws ApiException 404 when there is no such load balancer
     */
    public synchronized List<Long> dropletIdsOf(String lbId) {
        return targets(balancer(lbId));
    }

    /** {@code POST /v2/load_balancers/{id}/droplets}. */
    public synchronized void attachDroplets(String lbId, Collection<Long> dropletIds) {
        Balancer balancer = changeable(lbId, dropletIds);
        List<Long> after = new ArrayList<>(balancer.settings.dropletIds());
        dropletIds.stream().filter(id -> !after.contains(id)).forEach(after::add);
        if (after.size() > LoadBalancerSettings.MAX_DROPLETS_BY_ID) {
            throw ApiException.unprocessable("A load balancer targets at most "
                    + LoadBalancerSettings.MAX_DROPLETS_BY_ID + " Droplets by id; use a tag for more");
        }
        changed(balancer, balancer.settings.withDropletIds(after), "droplets " + dropletIds + " were added by id");
    }

    /** {@code DELETE /v2/load_balancers/{id}/droplets}; droplets it did not target are ignored. */
    public synchronized void detachDroplets(String lbId, Collection<Long> dropletIds) {
        Balancer balancer = changeable(lbId, dropletIds);
        changed(balancer, balancer.settings.withDropletIds(without(balancer.settings.dropletIds(), dropletIds)),
                "droplets " + dropletIds + " were removed by id");
    }

    /** {@code PUT /v2/load_balancers/{id}}: every setting is replaced, none is kept from before. */
    public synchronized LoadBalancer replaceLoadBalancer(String lbId, LoadBalancerSettings replacement) {
        Balancer balancer = balancer(lbId);
        refuseWhileBusy(balancer);
        if (!replacement.region().equals(balancer.settings.region())) {
            throw ApiException.unprocessable("The region of a load balancer cannot be changed");
        }
        requireDroplets(replacement.dropletIds());
        replacement.targetTag().ifPresent(tags::add);
        changed(balancer, replacement, "the load balancer was replaced (PUT)");
        return snapshot(balancer);
    }

    public synchronized void addTag(String tag) {
        tags.add(tag);
    }

    public synchronized boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    /** {@code POST /v2/tags/{tag}/resources} for droplets: a balancer targeting the tag picks them up at once. */
    public synchronized void tagDroplets(String tag, Collection<Long> dropletIds) {
        retag(tag, dropletIds, true);
    }

    /** {@code DELETE /v2/tags/{tag}/resources} for droplets: a balancer targeting the tag drops them at once. */
    public synchronized void untagDroplets(String tag, Collection<Long> dropletIds) {
        retag(tag, dropletIds, false);
    }

    private void retag(String tag, Collection<Long> dropletIds, boolean add) {
        if (!tags.contains(tag)) {
            throw ApiException.notFound("Tag " + tag + " was not found");
        }
        requireDroplets(dropletIds);
        for (long id : dropletIds) {
            Droplet droplet = droplets.get(id);
            Set<String> now = new LinkedHashSet<>(droplet.tags());
            boolean changed = add ? now.add(tag) : now.remove(tag);
            if (changed) {
                droplets.put(id, droplet.withTags(List.copyOf(now)));
            }
        }
        targetsChanged("droplets " + dropletIds + " were " + (add ? "given" : "stripped of") + " tag " + tag);
        log.info("Droplets {} were {} tag {}.", dropletIds, add ? "given" : "stripped of", tag);
    }

    /**
     * Records one health check of a droplet by a load balancer's checker, applying the balancer's thresholds. A
     * check of a droplet the balancer no longer targets is ignored.
     *
     * @return the droplet's health after the check
     */
    public synchronized DropletHealth recordHealthCheck(String lbId, long dropletId, boolean passed) {
        Balancer balancer = balancer(lbId);
        if (!targets(balancer).contains(dropletId)) {
            return new DropletHealth(dropletId, false, 0, 0, null);
        }
        HealthCheck check = balancer.settings.healthCheck();
        Health state = health.computeIfAbsent(lbId, key -> new HashMap<>())
                .computeIfAbsent(dropletId, key -> new Health());
        Instant now = clock.instant();
        boolean before = state.healthy;
        state.record(passed, check.healthyThreshold(), check.unhealthyThreshold(), now);
        if (state.healthy != before) {
            history.healthChanged(lbId, dropletId, state.healthy);
            log.info("Droplet {} is now {} for load balancer {}.", dropletId, state.healthy ? "healthy" : "unhealthy",
                    balancer.settings.name());
        }
        return state.snapshot(dropletId);
    }

    /** The health of every droplet the balancer targets, in the order of {@link #dropletIdsOf}. */
    public synchronized List<DropletHealth> healthOf(String lbId) {
        Balancer balancer = balancer(lbId);
        Map<Long, Health> states = health.getOrDefault(lbId, Map.of());
        return targets(balancer).stream().map(id -> {
            Health state = states.get(id);
            return state == null ? new DropletHealth(id, false, 0, 0, null) : state.snapshot(id);
        }).toList();
    }

    /** The droplets the balancer targets and finds healthy: those it sends traffic to. */
    public synchronized List<Long> healthyDropletIdsOf(String lbId) {
        return healthOf(lbId).stream().filter(DropletHealth::healthy).map(DropletHealth::dropletId).toList();
    }

    /**
     * Per second, whether the droplet was healthy (the state at the end of that second) between {@code from} and
     * {@code to}, epoch seconds inclusive; when no check fell in that window, the state now, stamped with the
     * window's time nearest to now.
     */
    synchronized List<long[]> healthHistory(String lbId, long dropletId, long from, long to) {
        Health state = health.getOrDefault(lbId, Map.of()).get(dropletId);
        List<long[]> samples = new ArrayList<>();
        if (state != null) {
            state.history.stream().filter(sample -> sample[0] >= from && sample[0] <= to)
                    .forEach(sample -> samples.add(sample.clone()));
        }
        if (samples.isEmpty()) {
            long now = clock.instant().getEpochSecond();
            samples.add(new long[] {Math.max(from, Math.min(to, now)), state != null && state.healthy ? 1 : 0});
        }
        return samples;
    }

    /**
     * Whether the droplet was healthy for the balancer at the end of that epoch second, or empty when it had not
     * been checked by then since it last became a target (or the second is older than the history kept).
     */
    synchronized Optional<Boolean> healthAt(String lbId, long dropletId, long second) {
        Health state = health.getOrDefault(lbId, Map.of()).get(dropletId);
        if (state == null) {
            return Optional.empty();
        }
        Boolean at = null;
        for (long[] sample : state.history) {
            if (sample[0] > second) {
                break;
            }
            at = sample[1] == 1;
        }
        return Optional.ofNullable(at);
    }

    /**
     * From now on the balancer's health metrics answer in this shape, whatever {@link SimulatorSettings#healthMetrics()}
     * says; a test runs a switch under each.
     */
    public synchronized void setHealthMetrics(String lbId, HealthMetricsShape shape) {
        balancer(lbId);
        healthMetrics.put(lbId, Objects.requireNonNull(shape, "shape"));
    }

    /** How the balancer's health metrics answer: its own shape, else the settings'. */
    public synchronized HealthMetricsShape healthMetricsOf(String lbId) {
        return healthMetrics.getOrDefault(lbId, settings.healthMetrics());
    }

    /**
     * Creates a reserved IP in the sandbox's region.
     *
     * @param dropletId the droplet it points at from the start, or null for none
     */
    public synchronized ReservedIp addReservedIp(String ip, @Nullable Long dropletId) {
        if (!Representations.isIpv4(ip)) {
            throw new IllegalArgumentException("A reserved IP must be an IPv4 address, was " + ip);
        }
        if (reservedIps.containsKey(ip)) {
            throw new IllegalArgumentException("The reserved IP " + ip + " exists already");
        }
        if (dropletId != null) {
            requireDroplets(List.of(dropletId));
        }
        Reservation reservation = new Reservation(ip);
        reservation.dropletId = dropletId;
        reservedIps.put(ip, reservation);
        targetsChanged("reserved IP " + ip + " was created");
        log.info("Reserved IP {} was created, pointing at droplet {}.", ip, dropletId);
        return snapshot(reservation);
    }

    public synchronized Optional<ReservedIp> reservedIp(String ip) {
        settleActions();
        return Optional.ofNullable(reservedIps.get(ip)).map(this::snapshot);
    }

    public synchronized List<ReservedIp> reservedIps() {
        settleActions();
        return reservedIps.values().stream().map(this::snapshot).toList();
    }

    /**
     * {@code POST /v2/reserved_ips/{ip}/actions} with {@code {"type":"assign","droplet_id":N}}: in progress until
     * {@link SimulatorSettings#reservedIpActionDelay()} has passed, then the IP points at the droplet.
     *
     * @throws ApiException 404 for an unknown IP, 422 for an unknown droplet or while another action is pending
     */
    public synchronized Action assignReservedIp(String ip, long dropletId) {
        Reservation reservation = unlockedReservation(ip);
        requireDroplets(List.of(dropletId));
        return start(reservation, "assign_ip", dropletId);
    }

    /**
     * {@code POST /v2/reserved_ips/{ip}/actions} with {@code {"type":"unassign"}}.
     *
     * @throws ApiException 404 for an unknown IP, 422 when it points at no droplet or while another action is
     *     pending
     */
    public synchronized Action unassignReservedIp(String ip) {
        Reservation reservation = unlockedReservation(ip);
        if (reservation.dropletId == null) {
            throw ApiException.unprocessable("The reserved IP " + ip + " is not assigned to a Droplet");
        }
        return start(reservation, "unassign_ip", null);
    }

    /** {@code GET /v2/actions/{id}}: an action, completed once its time has come. */
    public synchronized Optional<Action> action(long id) {
        settleActions();
        return Optional.ofNullable(actions.get(id)).map(PendingAction::snapshot);
    }

    /** A reserved IP's address as the number actions name it by ({@code resource_id}). */
    long reservedIpNumber(String ip) {
        return PendingAction.ipAsNumber(ip);
    }

    private Reservation unlockedReservation(String ip) {
        settleActions();
        Reservation reservation = reservedIps.get(ip);
        if (reservation == null) {
            throw ApiException.notFound("The resource you requested could not be found.");
        }
        if (reservation.pending != null) {
            throw ApiException.unprocessable("The reserved IP " + ip + " already has a pending event.");
        }
        return reservation;
    }

    private Action start(Reservation reservation, String type, @Nullable Long dropletId) {
        Instant now = clock.instant();
        PendingAction action = new PendingAction(nextActionId++, type, now, now.plus(settings.reservedIpActionDelay()),
                reservation.ip, dropletId);
        actions.put(action.id, action);
        reservation.pending = action;
        log.info("Reserved IP {} began {} (action {}).", reservation.ip,
                dropletId == null ? "unassigning" : "moving to droplet " + dropletId, action.id);
        settleActions();
        return action.snapshot();
    }

    /** Completes every action whose time has come, applying it to its reserved IP. */
    private void settleActions() {
        Instant now = clock.instant();
        List<String> settled = new ArrayList<>();
        for (Reservation reservation : reservedIps.values()) {
            PendingAction action = reservation.pending;
            if (action == null || now.isBefore(action.completesAt)) {
                continue;
            }
            boolean dropletGone = action.dropletId != null && !droplets.containsKey(action.dropletId);
            action.status = dropletGone ? Action.ERRORED : Action.COMPLETED;
            action.completedAt = action.completesAt;
            if (!dropletGone) {
                reservation.dropletId = action.dropletId;
            }
            reservation.pending = null;
            settled.add("action " + action.id + " (" + action.type + ") of reserved IP " + reservation.ip
                    + " completed");
            log.info("Reserved IP {} now points at droplet {}.", reservation.ip, reservation.dropletId);
        }
        if (!settled.isEmpty()) {
            targetsChanged(String.join("; ", settled));
        }
    }

    private ReservedIp snapshot(Reservation reservation) {
        return new ReservedIp(reservation.ip, reservation.dropletId, reservation.pending != null, REGION, projectId);
    }

    /**
     * Every change of what a balancer or reserved IP targets ends here: health is forgotten for droplets that are
     * no longer targets, and the history records what each one targets now, where that changed.
     */
    private void targetsChanged(String cause) {
        forgetHealthOfNonTargets();
        balancers.values().forEach(balancer -> history.targets(balancer.id, balancer.settings.name(), true,
                targets(balancer), cause));
        reservedIps.values().forEach(reservation -> history.targets(reservation.ip, reservation.ip, false,
                reservation.dropletId == null ? List.of() : List.of(reservation.dropletId), cause));
    }

    private void forgetHealthOfNonTargets() {
        health.entrySet().removeIf(entry -> !balancers.containsKey(entry.getKey()));
        health.forEach((lbId, states) -> {
            List<Long> targets = targets(balancers.get(lbId));
            states.keySet().removeIf(id -> !targets.contains(id));
        });
    }

    private String create(LoadBalancerSettings wanted) {
        String id = UUID.randomUUID().toString();
        balancers.put(id, new Balancer(id, now(), wanted));
        targetsChanged("load balancer " + wanted.name() + " was created");
        log.info("Load balancer {} ({}) was created targeting droplets {}.", wanted.name(), id,
                targets(balancers.get(id)));
        return id;
    }

    private Balancer changeable(String lbId, Collection<Long> dropletIds) {
        Balancer balancer = balancer(lbId);
        if (balancer.settings.tag() != null) {
            throw ApiException.unprocessable("Load balancer " + balancer.settings.name() + " targets the tag "
                    + balancer.settings.tag() + "; tag or untag Droplets instead of adding or removing them by id");
        }
        if (dropletIds.isEmpty()) {
            throw ApiException.unprocessable("droplet_ids must name at least one Droplet");
        }
        requireDroplets(dropletIds);
        refuseWhileBusy(balancer);
        return balancer;
    }

    private void changed(Balancer balancer, LoadBalancerSettings settingsAfter, String cause) {
        balancer.settings = settingsAfter;
        balancer.busyUntil = clock.instant().plus(settings.busyWindow());
        targetsChanged(cause);
        log.info("Load balancer {} now targets droplets {}.", settingsAfter.name(), targets(balancer));
    }

    private void refuseWhileBusy(Balancer balancer) {
        if (clock.instant().isBefore(balancer.busyUntil)) {
            throw ApiException.forbidden(BUSY_MESSAGE);
        }
    }

    private void requireDroplets(Collection<Long> ids) {
        List<Long> unknown = ids.stream().filter(id -> !droplets.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.unprocessable("No Droplet has the id " + joined(unknown));
        }
    }

    private Balancer balancer(String lbId) {
        Balancer balancer = balancers.get(lbId);
        if (balancer == null) {
            throw ApiException.notFound("The resource you requested could not be found.");
        }
        return balancer;
    }

    private List<Long> targets(Balancer balancer) {
        String tag = balancer.settings.tag();
        if (tag == null) {
            return balancer.settings.dropletIds();
        }
        return droplets.values().stream().filter(droplet -> droplet.hasTag(tag)).map(Droplet::id).toList();
    }

    private LoadBalancer snapshot(Balancer balancer) {
        return new LoadBalancer(balancer.id, "127.0.0.1", "active", balancer.createdAt, vpcUuid, projectId,
                balancer.settings, targets(balancer));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static List<Long> without(List<Long> ids, Collection<Long> removed) {
        return ids.stream().filter(id -> !removed.contains(id)).toList();
    }

    private static String joined(List<Long> ids) {
        return String.join(", ", ids.stream().map(String::valueOf).toList());
    }

    /** One droplet's health as one load balancer sees it, guarded by the simulator's lock. */
    private static final class Health {
        final Deque<long[]> history = new ArrayDeque<>();
        boolean healthy;
        int passes;
        int failures;
        @Nullable Instant lastCheckedAt;

        void record(boolean passed, int healthyThreshold, int unhealthyThreshold, Instant now) {
            if (passed) {
                passes++;
                failures = 0;
                healthy = healthy || passes >= healthyThreshold;
            } else {
                failures++;
                passes = 0;
                healthy = healthy && failures < unhealthyThreshold;
            }
            lastCheckedAt = now;
            long second = now.getEpochSecond();
            if (!history.isEmpty() && history.peekLast()[0] == second) {
                history.peekLast()[1] = healthy ? 1 : 0;
            } else {
                history.addLast(new long[] {second, healthy ? 1 : 0});
            }
            while (history.size() > HEALTH_HISTORY_SECONDS) {
                history.removeFirst();
            }
        }

        DropletHealth snapshot(long dropletId) {
            return new DropletHealth(dropletId, healthy, passes, failures, lastCheckedAt);
        }
    }

    /** One reserved IP's mutable state, guarded by the simulator's lock. */
    private static final class Reservation {
        final String ip;
        @Nullable Long dropletId;
        @Nullable PendingAction pending;

        Reservation(String ip) {
            this.ip = ip;
        }
    }

    /** One action's mutable state, guarded by the simulator's lock. */
    private static final class PendingAction {
        final long id;
        final String type;
        final Instant startedAt;
        final Instant completesAt;
        final String ip;
        final @Nullable Long dropletId;
        String status = Action.IN_PROGRESS;
        @Nullable Instant completedAt;

        PendingAction(long id, String type, Instant startedAt, Instant completesAt, String ip,
                @Nullable Long dropletId) {
            this.id = id;
            this.type = type;
            this.startedAt = startedAt;
            this.completesAt = completesAt;
            this.ip = ip;
            this.dropletId = dropletId;
        }

        Action snapshot() {
            return new Action(id, status, type, startedAt, completedAt, ipAsNumber(ip), "reserved_ip", REGION);
        }

        static long ipAsNumber(String ip) {
            long number = 0;
            for (String part : ip.split("\\.")) {
                number = number * 256 + Integer.parseInt(part);
            }
            return number;
        }
    }

    /** One load balancer's mutable state, guarded by the simulator's lock. */
    private static final class Balancer {
        final String id;
        final Instant createdAt;
        LoadBalancerSettings settings;
        Instant busyUntil = Instant.MIN;

        Balancer(String id, Instant createdAt, LoadBalancerSettings settings) {
            this.id = id;
            this.createdAt = createdAt;
            this.settings = settings;
        }
    }
}
