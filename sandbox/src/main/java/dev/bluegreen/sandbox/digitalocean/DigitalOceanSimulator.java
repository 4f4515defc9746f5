package dev.bluegreen.sandbox.digitalocean;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
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

/**
 * DigitalOcean's state, in memory and thread-safe: droplets, load balancers and tags. The API server and the load
 * balancer proxy read and change it; sandbox code and tests set it up directly.
 *
 * <p>Changes a client can make through the API ({@link #attachDroplets}, {@link #detachDroplets},
 * {@link #replaceLoadBalancer}, {@link #tagDroplets}, {@link #untagDroplets}) are refused the way DigitalOcean
 * refuses them, with an {@link ApiException}.
 */
public final class DigitalOceanSimulator {

    /** The region every simulated resource lives in. */
    public static final String REGION = "nyc3";

    static final String BUSY_MESSAGE = "Load Balancer can't be updated while it processes previous actions";

    private static final Logger log = LoggerFactory.getLogger(DigitalOceanSimulator.class);
    private static final long FIRST_DROPLET_ID = 3_164_400L;

    private final SimulatorSettings settings;
    private final Clock clock;
    private final String vpcUuid = UUID.randomUUID().toString();
    private final String projectId = UUID.randomUUID().toString();
    private final Map<Long, Droplet> droplets = new TreeMap<>();
    private final Map<String, Balancer> balancers = new LinkedHashMap<>();
    private final Set<String> tags = new TreeSet<>();
    private long nextDropletId = FIRST_DROPLET_ID;

    public DigitalOceanSimulator() {
        this(SimulatorSettings.DEFAULTS);
    }

    public DigitalOceanSimulator(SimulatorSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public DigitalOceanSimulator(SimulatorSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public SimulatorSettings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
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
        return id;
    }

    /** Destroys a droplet: it leaves every load balancer that listed it. */
    public synchronized void removeDroplet(long id) {
        if (droplets.remove(id) == null) {
            throw ApiException.notFound("Droplet " + id + " was not found");
        }
        balancers.values().forEach(balancer -> balancer.settings =
                balancer.settings.withDropletIds(without(balancer.settings.dropletIds(), List.of(id))));
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
        changed(balancer, balancer.settings.withDropletIds(after));
    }

    /** {@code DELETE /v2/load_balancers/{id}/droplets}; droplets it did not target are ignored. */
    public synchronized void detachDroplets(String lbId, Collection<Long> dropletIds) {
        Balancer balancer = changeable(lbId, dropletIds);
        changed(balancer, balancer.settings.withDropletIds(without(balancer.settings.dropletIds(), dropletIds)));
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
        changed(balancer, replacement);
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
        log.info("Droplets {} were {} tag {}.", dropletIds, add ? "given" : "stripped of", tag);
    }

    private String create(LoadBalancerSettings wanted) {
        String id = UUID.randomUUID().toString();
        balancers.put(id, new Balancer(id, now(), wanted));
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

    private void changed(Balancer balancer, LoadBalancerSettings settingsAfter) {
        balancer.settings = settingsAfter;
        balancer.busyUntil = clock.instant().plus(settings.busyWindow());
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
