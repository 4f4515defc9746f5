package dev.bluegreen.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanApiServer;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.HealthCheck;
import dev.bluegreen.sandbox.digitalocean.LoadBalancerSettings;
import dev.bluegreen.sandbox.droplet.ExecResult;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.sandbox.history.SandboxHistory;
import dev.bluegreen.sandbox.loadbalancer.LoadBalancerProxy;
import dev.bluegreen.sandbox.loadbalancer.ReservedIpProxy;
import dev.bluegreen.sandbox.sampleapp.SampleAppRepository;
import dev.bluegreen.sandbox.sampleapp.SampleAppSteps;
import dev.bluegreen.sandbox.sampleapp.Step;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DigitalOcean on this machine, for one app or several: the simulated API, and for each app a load balancer proxy,
 * blue and green droplets that are real SSH servers, all deployed from one git repository of the sample app. Each
 * app's blue already serves the bootstrap version through its balancer when {@link #start} returns; green is empty,
 * waiting for a deploy. With {@link SandboxSettings#withExternalDroplets} the droplets are someone else's, such as
 * namespaces running OpenSSH, nginx and gunicorn, and the sandbox only lists, balances and health-checks them. The
 * methods that name no app ({@link #loadBalancerId()}, {@link #droplets(Colour)}, ...) are those of the first app;
 * {@link #apps()} has them all.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults())) {
 *     Path appsFile = sandbox.writeAppsFile(folder.resolve("bluegreen.yml"));
 *     // start the services with bluegreen.config=appsFile and the token from sandbox.apiToken()
 * }
 * }</pre>
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    private static final Duration BALANCER_READY_WITHIN = Duration.ofSeconds(20);

    /**
     * The sandbox balancer's health check: the app's own health path, every 3 s, 5 s timeout, 2 passes to join and
     * 5 failures to leave (DigitalOcean's default). With
     * {@link dev.bluegreen.sandbox.digitalocean.SimulatorSettings#SANDBOX}'s time scale that is a probe every 200 ms
     * with a 333 ms timeout, so a new droplet serves about 0.4 s after it is attached, and one leaves after about a
     * second without answers. Two failures, a probe budget of about 0.4 s, took a droplet whose app merely stalled
     * while the machine's two cores were busy (JVMs starting in the chaos test) for one that was down.
     */
    public static final HealthCheck HEALTH_CHECK = new HealthCheck("http", 80, "/healthz", 3, 5, 2, 5);

    private final SandboxSettings settings;
    private final Path workFolder;
    private final boolean temporaryFolder;
    private final SandboxKeys keys;
    private final SampleAppRepository repository;
    private final DigitalOceanSimulator simulator;
    private final List<SandboxApp> apps;
    private final SandboxApp first;
    private final DigitalOceanApiServer api;
    private final Path knownHostsFile;
    private final Deque<AutoCloseable> resources;
    private final Thread shutdownHook = new Thread(this::close, "sandbox-shutdown");
    private boolean closed;

    private Sandbox(Parts parts) {
        this.settings = parts.settings;
        this.workFolder = parts.require(parts.workFolder);
        this.temporaryFolder = parts.temporaryFolder;
        this.keys = parts.require(parts.keys);
        this.repository = parts.require(parts.repository);
        this.simulator = parts.simulator;
        this.apps = List.copyOf(parts.apps);
        this.first = apps.get(0);
        this.api = parts.require(parts.api);
        this.knownHostsFile = parts.require(parts.knownHostsFile);
        this.resources = parts.started;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts everything and bootstraps each app's blue with {@link SandboxSettings#bootstrapVersion()}; returns once
     * every load balancer serves it. On failure, what was started is stopped again.
     */
    public static Sandbox start(SandboxSettings settings) {
        Sandbox sandbox = startBeforeBlueServes(settings);
        try {
            sandbox.serveBlue();
            return sandbox;
        } catch (RuntimeException | Error e) {
            sandbox.close();
            throw e;
        }
    }

    /**
     * Starts the droplets, the balancers and the API, and returns before blue serves: the apps file can be written,
     * and the services started, while {@link #serveBlue()} bootstraps blue and waits for the balancers. Until then a
     * balancer has no healthy droplet and answers 503. On failure, what was started is stopped again.
     */
    public static Sandbox startBeforeBlueServes(SandboxSettings settings) {
        Parts parts = new Parts(settings);
        try {
            parts.build();
            return new Sandbox(parts);
        } catch (RuntimeException e) {
            parts.closeAll();
            throw e;
        }
    }

    /**
     * Bootstraps each app's blue with {@link SandboxSettings#bootstrapVersion()} (droplets someone else runs are set
     * up already), and returns once every load balancer, and reserved IP, serves it.
     */
    public void serveBlue() {
        apps.parallelStream().forEach(app -> app.droplets(Colour.BLUE).parallelStream()
                .filter(droplet -> droplet.inProcess().isPresent())
                .forEach(droplet -> bootstrap(app.name(), droplet)));
        for (SandboxApp app : apps) {
            awaitHealthyDroplet(app.loadBalancerId());
            awaitBalancer(app.loadBalancerUrl());
            app.reservedIpUrl().ifPresent(Sandbox::awaitBalancer);
        }
        log.info("The sandbox for {} is up: API at {}, load balancers at {}, blue serves {}.", settings.appNames(),
                apiUrl(), apps.stream().map(SandboxApp::loadBalancerUrl).toList(), settings.bootstrapVersion());
    }

    /** The simulated DigitalOcean API, such as {@code http://127.0.0.1:8090}; paths start with {@code /v2}. */
    public URI apiUrl() {
        return URI.create(api.baseUrl());
    }

    /** The only token the API accepts. A secret: it is not in the apps file. */
    public String apiToken() {
        return settings.apiToken();
    }

    /** Every app, in the order of {@link SandboxSettings#appNames()}; one unless {@link SandboxSettings#withApps}. */
    public List<SandboxApp> apps() {
        return apps;
    }

    /** The app of that name. */
    public SandboxApp app(String name) {
        return apps.stream().filter(app -> app.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("The sandbox has no app " + name + "; it has "
                        + settings.appNames()));
    }

    public String loadBalancerId() {
        return first.loadBalancerId();
    }

    /** Where users reach the app: the balancer forwards to the droplets it targets now. */
    public URI loadBalancerUrl() {
        return first.loadBalancerUrl();
    }

    /** How users reach the live colour. */
    public TrafficMode trafficMode() {
        return settings.trafficMode();
    }

    /** In {@link TrafficMode#LOAD_BALANCER_BY_TAG}, the tag the balancer targets: {@code <app>-live}. */
    public Optional<String> liveTag() {
        return first.liveTag();
    }

    /** In {@link TrafficMode#RESERVED_IP}, the reserved IP's address, as the API names it. */
    public Optional<String> reservedIp() {
        return first.reservedIp();
    }

    /** In {@link TrafficMode#RESERVED_IP}, where users reach the reserved IP: it forwards to the droplet it holds. */
    public Optional<URI> reservedIpUrl() {
        return first.reservedIpUrl();
    }

    /** Where users reach the app: the reserved IP in {@link TrafficMode#RESERVED_IP}, else the load balancer. */
    public URI publicUrl() {
        return first.publicUrl();
    }

    /** The droplets of one colour, in the order of their ports. */
    public List<SandboxDroplet> droplets(Colour colour) {
        return first.droplets(colour);
    }

    /** The DigitalOcean ids of one colour's droplets, in the order of their ports. */
    public List<Long> dropletIds(Colour colour) {
        return first.dropletIds(colour);
    }

    /**
     * The version each droplet of the colour runs, asked of its app directly ({@code GET /version}), bypassing the
     * load balancer; {@code "no answer (...)"} for a droplet whose app does not answer.
     */
    public List<String> versionsServed(Colour colour) {
        return first.versionsServed(colour);
    }

    /** All droplets, blue first. */
    public List<SandboxDroplet> droplets() {
        return first.droplets();
    }

    /** The droplet with this id, of whichever app. */
    public Optional<SandboxDroplet> droplet(long id) {
        return apps.stream().flatMap(app -> app.droplets().stream()).filter(droplet -> droplet.id() == id)
                .findFirst();
    }

    public String repositoryUrl() {
        return repository.url();
    }

    public SampleAppRepository repository() {
        return repository;
    }

    /** OpenSSH {@code known_hosts} with every droplet's host key, of every app. */
    public Path knownHostsFile() {
        return knownHostsFile;
    }

    /** The private key the deploy-agent logs in with (PEM, mode 600). */
    public Path clientKeyFile() {
        return keys.privateKeyFile();
    }

    /** The first app's name. */
    public String appName() {
        return first.name();
    }

    public Path workFolder() {
        return workFolder;
    }

    /**
     * What happened since the sandbox started, for a test to judge: the commands SSH clients ran on each droplet,
     * what the load balancer (and reserved IP) targeted and found healthy over time, and the requests it relayed.
     * The sandbox's own bootstrap of blue runs without SSH and is not in it.
     */
    public SandboxHistory history() {
        return simulator.history();
    }

    /**
     * How the history knows the users' way in: the reserved IP's address in {@link TrafficMode#RESERVED_IP}, else
     * the load balancer's id. Ask {@code history().commandsWhileServing(trafficEntryPointId())}: in reserved IP mode
     * the balancer stays on blue, unused, and would count blue as serving.
     */
    public String trafficEntryPointId() {
        return first.trafficEntryPointId();
    }

    /** The same history as JSON, read-only, for a person to look at while the sandbox runs. */
    public URI historyUrl() {
        return apiUrl().resolve(DigitalOceanApiServer.HISTORY_PATH);
    }

    /** The simulated DigitalOcean's state, to inspect or change directly. */
    public DigitalOceanSimulator simulator() {
        return simulator;
    }

    /** The droplets someone else runs, when the settings name them. */
    Optional<ExternalDroplets> externalDroplets() {
        return Optional.ofNullable(settings.externalDroplets());
    }

    /** Writes the apps file the services read ({@code bluegreen.config}), with every app; the token is not in it. */
    public Path writeAppsFile(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, AppsFile.of(this));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the apps file " + file, e);
        }
    }

    /** Stops the balancers, the API, the droplets and their apps. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeAll(resources);
        if (temporaryFolder) {
            deleteQuietly(workFolder);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // close() runs from the hook itself.
        }
        log.info("The sandbox for {} stopped.", settings.appNames());
    }

    /** Runs the deploy steps the apps file holds, locally in the droplet's shell, as the deploy-agent would. */
    private void bootstrap(String app, SandboxDroplet droplet) {
        String version = settings.bootstrapVersion();
        Map<String, String> values = Map.of(
                "app", app,
                "ref", version,
                "commit", repository.commitOf(version),
                "deployment_id", "sandbox-bootstrap",
                "colour", droplet.colour().wireName(),
                "repository", repository.url(),
                "branch", "main",
                "directory", SampleAppSteps.DIRECTORY);
        for (Step step : SampleAppSteps.deploySteps()) {
            ExecResult result = droplet.server().exec(step.render(values), step.timeout());
            if (!result.succeeded()) {
                throw new IllegalStateException("Bootstrapping droplet " + droplet.name() + " with "
                        + app + " " + version + " failed at step " + step.name()
                        + " with exit code " + result.exitCode() + ":\n" + result.outputTail(20));
            }
        }
        log.info("Droplet {} runs {} {}.", droplet.name(), app, version);
    }

    /**
     * Waits until the balancer's checker finds a droplet healthy before any request goes through it, so the
     * history shows no request failing while blue was still starting.
     */
    private void awaitHealthyDroplet(String lbId) {
        Instant deadline = Instant.now().plus(BALANCER_READY_WITHIN);
        while (simulator.healthyDropletIdsOf(lbId).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("No droplet of the load balancer passed its health check within "
                        + BALANCER_READY_WITHIN.toSeconds() + " s: " + simulator.healthOf(lbId));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the load balancer", e);
            }
        }
    }

    private static void awaitBalancer(URI url) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build();
        Instant deadline = Instant.now().plus(BALANCER_READY_WITHIN);
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "status " + response.statusCode();
                Thread.sleep(100);
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the load balancer", e);
            }
        }
        throw new IllegalStateException("The load balancer at " + url + " did not answer 200 within "
                + BALANCER_READY_WITHIN.toSeconds() + " s (" + last + ")");
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", resource, e.getMessage());
            }
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.debug("The sandbox folder {} was not removed: {}", folder, e.getMessage());
        }
    }

    /** What {@link #start} builds, step by step, remembering what to stop if a later step fails. */
    private static final class Parts {

        final SandboxSettings settings;
        final DigitalOceanSimulator simulator;
        final Deque<AutoCloseable> started = new ArrayDeque<>();
        final List<SandboxApp> apps = new ArrayList<>();
        final boolean temporaryFolder;
        @Nullable Path workFolder;
        @Nullable SandboxKeys keys;
        @Nullable SampleAppRepository repository;
        @Nullable DigitalOceanApiServer api;
        @Nullable Path knownHostsFile;

        Parts(SandboxSettings settings) {
            this.settings = settings;
            this.simulator = new DigitalOceanSimulator(settings.simulator());
            this.temporaryFolder = settings.workFolder() == null;
        }

        void build() {
            Path folder = workFolder();
            workFolder = folder;
            SandboxKeys clientKeys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
            keys = clientKeys;
            repository = SampleAppRepository.create(folder.resolve("repository"));
            List<String> names = settings.appNames();
            for (int index = 0; index < names.size(); index++) {
                apps.add(startApp(index, names.get(index), folder, clientKeys));
            }
            api = track(DigitalOceanApiServer.start(simulator, settings.apiToken(), settings.apiPort()));
            knownHostsFile = SandboxKeys.writeKnownHosts(folder.resolve("keys").resolve("known_hosts"),
                    apps.stream().flatMap(app -> app.droplets().stream()).map(SandboxDroplet::knownHostsLine)
                            .toList());
        }

        /** The app's droplets, its balancer on blue, its reserved IP on the first blue droplet, and their proxies. */
        private SandboxApp startApp(int index, String app, Path folder, SandboxKeys clientKeys) {
            Map<Colour, List<SandboxDroplet>> droplets = startDroplets(index, app, folder, clientKeys);
            List<Long> blueIds = droplets.get(Colour.BLUE).stream().map(SandboxDroplet::id).toList();
            LoadBalancerSettings wanted = settings.trafficMode() == TrafficMode.LOAD_BALANCER_BY_TAG
                    ? LoadBalancerSettings.byTag(app + "-lb", DigitalOceanSimulator.REGION, SandboxApp.liveTag(app))
                    : LoadBalancerSettings.byDropletIds(app + "-lb", DigitalOceanSimulator.REGION, blueIds);
            String lbId = simulator.addLoadBalancer(wanted.withHealthCheck(HEALTH_CHECK));
            LoadBalancerProxy proxy = track(LoadBalancerProxy.start(simulator, lbId,
                    portAt(settings.loadBalancerPort(), index)));
            ReservedIpProxy reservedIpProxy = null;
            if (settings.trafficMode() == TrafficMode.RESERVED_IP) {
                String ip = SandboxSettings.reservedIp(index);
                simulator.addReservedIp(ip, blueIds.get(0));
                reservedIpProxy = track(ReservedIpProxy.start(simulator, ip, portAt(settings.reservedIpPort(), index)));
            }
            return new SandboxApp(app, settings.trafficMode(), lbId, proxy, reservedIpProxy, droplets);
        }

        private Path workFolder() {
            try {
                Path folder = settings.workFolder();
                if (folder == null) {
                    return Files.createTempDirectory("bluegreen-sandbox-").toRealPath();
                }
                return Files.createDirectories(folder).toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not make the sandbox's work folder", e);
            }
        }

        private Map<Colour, List<SandboxDroplet>> startDroplets(int appIndex, String app, Path folder,
                SandboxKeys clientKeys) {
            ExternalDroplets external = settings.externalDroplets();
            if (external != null) {
                return listDroplets(app, external);
            }
            Map<Colour, List<SandboxDroplet>> droplets = new EnumMap<>(Colour.class);
            int index = appIndex * 2 * settings.dropletsPerColour();
            for (Colour colour : Colour.values()) {
                List<SandboxDroplet> ofColour = new ArrayList<>();
                for (int n = 1; n <= settings.dropletsPerColour(); n++, index++) {
                    String name = app + "-" + colour.wireName() + "-" + n;
                    SshDroplet server = track(SshDroplet.start(folder.resolve("droplets").resolve(name),
                            clientKeys.publicKey(), portAt(settings.firstSshPort(), index),
                            portAt(settings.firstHttpPort(), index)));
                    long id = simulator.addDroplet(name, server.httpUrl(), tags(app, colour));
                    server.recordCommandsIn(simulator.history(), id);
                    ofColour.add(new SandboxDroplet(id, name, colour, server));
                }
                droplets.put(colour, List.copyOf(ofColour));
            }
            return droplets;
        }

        /** Droplets someone else runs: listed in the simulated DigitalOcean, where the balancer finds them. */
        private Map<Colour, List<SandboxDroplet>> listDroplets(String app, ExternalDroplets external) {
            Map<Colour, List<SandboxDroplet>> droplets = new EnumMap<>(Colour.class);
            for (Colour colour : Colour.values()) {
                droplets.put(colour, external.of(colour).stream().map(droplet -> SandboxDroplet.external(
                        simulator.addDroplet(droplet.name(), droplet.httpUrl(), tags(app, colour)), colour, droplet))
                        .toList());
            }
            return droplets;
        }

        private List<String> tags(String app, Colour colour) {
            List<String> tags = new ArrayList<>(List.of(app, app + "-" + colour.wireName()));
            if (colour == Colour.BLUE && settings.trafficMode() == TrafficMode.LOAD_BALANCER_BY_TAG) {
                tags.add(SandboxApp.liveTag(app));
            }
            return tags;
        }

        private static int portAt(int first, int index) {
            return first == 0 ? 0 : first + index;
        }

        private <T extends AutoCloseable> T track(T resource) {
            started.push(resource);
            return resource;
        }

        <T> T require(@Nullable T part) {
            if (part == null) {
                throw new IllegalStateException("The sandbox was not built completely");
            }
            return part;
        }

        void closeAll() {
            Sandbox.closeAll(started);
            Path folder = workFolder;
            if (temporaryFolder && folder != null) {
                deleteQuietly(folder);
            }
        }
    }
}
