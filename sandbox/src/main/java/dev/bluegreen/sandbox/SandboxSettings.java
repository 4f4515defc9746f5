package dev.bluegreen.sandbox;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

import dev.bluegreen.sandbox.digitalocean.HealthMetricsShape;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;
import dev.bluegreen.sandbox.sampleapp.SampleAppRepository;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link Sandbox} looks like. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods. A port of 0 means any free one; the droplets' ports count up from the first one,
 * app by app, blue droplets first; the load balancers' and reserved IPs' ports count up from theirs, one an app.
 *
 * @param workFolder where the repository, keys and droplet folders live; {@code null} for a new temporary folder
 * @param appName the (first) app's name in the apps file and the droplets' tags
 * @param dropletsPerColour how many droplets each colour has
 * @param apiPort the simulated DigitalOcean API's port
 * @param loadBalancerPort the (first app's) load balancer's port
 * @param firstSshPort the first droplet's SSH port
 * @param firstHttpPort the port the first droplet's app listens on
 * @param apiToken the only token the API accepts; random in {@link #defaults()}
 * @param bootstrapVersion the sample-app version (a tag) blue runs from the start
 * @param simulator how strict the simulated DigitalOcean is; {@link SimulatorSettings#SANDBOX} in {@link #defaults()}
 * @param trafficMode how users reach the live colour: a balancer by droplet ids, a balancer by tag, or a reserved IP
 * @param reservedIpPort the (first app's) reserved IP's port on 127.0.0.1 in {@link TrafficMode#RESERVED_IP}
 * @param apps how many apps share the one API, each with its own balancer and droplets; see {@link #appNames()}
 * @param externalDroplets droplets someone else runs, instead of the SSH servers the sandbox starts; null for those
 */
public record SandboxSettings(
        @Nullable Path workFolder,
        String appName,
        int dropletsPerColour,
        int apiPort,
        int loadBalancerPort,
        int firstSshPort,
        int firstHttpPort,
        String apiToken,
        String bootstrapVersion,
        SimulatorSettings simulator,
        TrafficMode trafficMode,
        int reservedIpPort,
        int apps,
        @Nullable ExternalDroplets externalDroplets) {

    /** The address of the reserved IP in {@link TrafficMode#RESERVED_IP}, from a block kept for documentation. */
    public static final String RESERVED_IP = "192.0.2.10";

    /** 192.0.2.10 to 192.0.2.254: the first app's reserved IP is {@link #RESERVED_IP}, the next ones count up. */
    private static final int MAX_RESERVED_IPS = 245;

    public SandboxSettings {
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(apiToken, "apiToken");
        Objects.requireNonNull(bootstrapVersion, "bootstrapVersion");
        Objects.requireNonNull(simulator, "simulator");
        Objects.requireNonNull(trafficMode, "trafficMode");
        if (apps < 1) {
            throw new IllegalArgumentException("A sandbox needs at least one app, was " + apps);
        }
        if (trafficMode == TrafficMode.RESERVED_IP && apps > MAX_RESERVED_IPS) {
            throw new IllegalArgumentException("In reserved IP mode a sandbox has at most " + MAX_RESERVED_IPS
                    + " apps, one reserved IP each, was " + apps);
        }
        requirePort("reservedIpPort", reservedIpPort, apps - 1);
        if (!appName.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")) {
            throw new IllegalArgumentException("The app name must be lower-case letters, digits and dashes, was '"
                    + appName + "'");
        }
        if (dropletsPerColour < 1) {
            throw new IllegalArgumentException("Each colour needs at least one droplet, was " + dropletsPerColour);
        }
        requirePort("apiPort", apiPort, 0);
        requirePort("loadBalancerPort", loadBalancerPort, apps - 1);
        requirePort("firstSshPort", firstSshPort, apps * 2 * dropletsPerColour - 1);
        requirePort("firstHttpPort", firstHttpPort, apps * 2 * dropletsPerColour - 1);
        if (externalDroplets != null && (apps != 1 || externalDroplets.blue().size() != dropletsPerColour)) {
            throw new IllegalArgumentException("External droplets serve one app, with dropletsPerColour of them a "
                    + "colour; were " + apps + " apps and " + dropletsPerColour + " droplets a colour for "
                    + externalDroplets.blue().size());
        }
        if (apiToken.isBlank()) {
            throw new IllegalArgumentException("The API token must not be blank");
        }
        if (!SampleAppRepository.VERSIONS.contains(bootstrapVersion)) {
            throw new IllegalArgumentException("The sample app has no version '" + bootstrapVersion + "'; it has "
                    + SampleAppRepository.VERSIONS);
        }
    }

    /** The settings with the sandbox's own droplets. */
    public SandboxSettings(@Nullable Path workFolder, String appName, int dropletsPerColour, int apiPort,
            int loadBalancerPort, int firstSshPort, int firstHttpPort, String apiToken, String bootstrapVersion,
            SimulatorSettings simulator, TrafficMode trafficMode, int reservedIpPort, int apps) {
        this(workFolder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort, firstHttpPort, apiToken,
                bootstrapVersion, simulator, trafficMode, reservedIpPort, apps, null);
    }

    /** The settings for one app. */
    public SandboxSettings(@Nullable Path workFolder, String appName, int dropletsPerColour, int apiPort,
            int loadBalancerPort, int firstSshPort, int firstHttpPort, String apiToken, String bootstrapVersion,
            SimulatorSettings simulator, TrafficMode trafficMode, int reservedIpPort) {
        this(workFolder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort, firstHttpPort, apiToken,
                bootstrapVersion, simulator, trafficMode, reservedIpPort, 1);
    }

    /** The settings before traffic modes: a load balancer by droplet ids. */
    public SandboxSettings(@Nullable Path workFolder, String appName, int dropletsPerColour, int apiPort,
            int loadBalancerPort, int firstSshPort, int firstHttpPort, String apiToken, String bootstrapVersion,
            SimulatorSettings simulator) {
        this(workFolder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort, firstHttpPort, apiToken,
                bootstrapVersion, simulator, TrafficMode.LOAD_BALANCER_BY_ID, 0, 1);
    }

    /**
     * A temporary folder, one app {@code sample-app}, two droplets a colour, free ports, a random token, v1, a load
     * balancer by droplet ids, and {@link SimulatorSettings#SANDBOX}: health checks every 200 ms, no busy window.
     */
    public static SandboxSettings defaults() {
        return new SandboxSettings(null, "sample-app", 2, 0, 0, 0, 0, randomToken(), "v1", SimulatorSettings.SANDBOX,
                TrafficMode.LOAD_BALANCER_BY_ID, 0, 1);
    }

    public SandboxSettings withWorkFolder(@Nullable Path folder) {
        return new SandboxSettings(folder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort,
                firstHttpPort, apiToken, bootstrapVersion, simulator, trafficMode, reservedIpPort, apps,
                externalDroplets);
    }

    public SandboxSettings withAppName(String name) {
        return new SandboxSettings(workFolder, name, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort,
                firstHttpPort, apiToken, bootstrapVersion, simulator, trafficMode, reservedIpPort, apps,
                externalDroplets);
    }

    public SandboxSettings withDropletsPerColour(int count) {
        return new SandboxSettings(workFolder, appName, count, apiPort, loadBalancerPort, firstSshPort,
                firstHttpPort, apiToken, bootstrapVersion, simulator, trafficMode, reservedIpPort, apps,
                externalDroplets);
    }

    /**
     * How many apps the sandbox serves behind its one API, each with its own load balancer, droplets and name:
     * {@code <appName>}, {@code <appName>-2}, ... Keep the droplets per colour low: each droplet is an SSH server
     * and, once deployed, a Python app.
     */
    public SandboxSettings withApps(int count) {
        return new SandboxSettings(workFolder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort,
                firstHttpPort, apiToken, bootstrapVersion, simulator, trafficMode, reservedIpPort, count,
                externalDroplets);
    }

    /**
     * Droplets someone else runs, such as network namespaces with real OpenSSH, nginx and gunicorn, instead of the SSH
     * servers the sandbox starts; one app, as many droplets a colour as {@code droplets} has. Blue must serve already:
     * the sandbox lists them in the simulated DigitalOcean, balances and health-checks them, and writes an apps file
     * for the README's default workflow, but runs nothing on them. {@link #bootstrapVersion()} and the SSH and HTTP
     * ports are not used then.
     */
    public SandboxSettings withExternalDroplets(ExternalDroplets droplets) {
        return new SandboxSettings(workFolder, appName, droplets.blue().size(), apiPort, loadBalancerPort,
                firstSshPort, firstHttpPort, apiToken, bootstrapVersion, simulator, trafficMode, reservedIpPort, apps,
                droplets);
    }

    /** The apps' names, the first one {@link #appName()}, the others with {@code -2}, {@code -3}, ... after it. */
    public List<String> appNames() {
        return IntStream.rangeClosed(1, apps).mapToObj(n -> n == 1 ? appName : appName + "-" + n).toList();
    }

    /** The reserved IP of the app at this index (from 0) in {@link TrafficMode#RESERVED_IP}. */
    static String reservedIp(int appIndex) {
        return appIndex == 0 ? RESERVED_IP : "192.0.2." + (10 + appIndex);
    }

    /** Fixed ports; 0 for any of them picks free ones. */
    public SandboxSettings withPorts(int api, int loadBalancer, int firstSsh, int firstHttp) {
        return new SandboxSettings(workFolder, appName, dropletsPerColour, api, loadBalancer, firstSsh, firstHttp,
                apiToken, bootstrapVersion, simulator, trafficMode, reservedIpPort, apps, externalDroplets);
    }

    public SandboxSettings withApiToken(String token) {
        return new SandboxSettings(workFolder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort,
                firstHttpPort, token, bootstrapVersion, simulator, trafficMode, reservedIpPort, apps, externalDroplets);
    }

    public SandboxSettings withBootstrapVersion(String version) {
        return new SandboxSettings(workFolder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort,
                firstHttpPort, apiToken, version, simulator, trafficMode, reservedIpPort, apps, externalDroplets);
    }

    public SandboxSettings withSimulator(SimulatorSettings settings) {
        return new SandboxSettings(workFolder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort,
                firstHttpPort, apiToken, bootstrapVersion, settings, trafficMode, reservedIpPort, apps,
                externalDroplets);
    }

    /** How users reach the live colour. */
    public SandboxSettings withTrafficMode(TrafficMode mode) {
        return new SandboxSettings(workFolder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort,
                firstHttpPort, apiToken, bootstrapVersion, simulator, mode, reservedIpPort, apps, externalDroplets);
    }

    /** The reserved IP's port on 127.0.0.1 ({@link TrafficMode#RESERVED_IP}); 0 picks a free one. */
    public SandboxSettings withReservedIpPort(int port) {
        return new SandboxSettings(workFolder, appName, dropletsPerColour, apiPort, loadBalancerPort, firstSshPort,
                firstHttpPort, apiToken, bootstrapVersion, simulator, trafficMode, port, apps, externalDroplets);
    }

    /** The simulator's 403 busy window after each change to a balancer, keeping its other settings. */
    public SandboxSettings withBusyWindow(java.time.Duration window) {
        return withSimulator(simulator.withBusyWindow(window));
    }

    /** How the simulator's health metrics answer ({@link SimulatorSettings#healthMetrics()}), keeping its other settings. */
    public SandboxSettings withHealthMetrics(HealthMetricsShape shape) {
        return withSimulator(simulator.withHealthMetrics(shape));
    }

    private static void requirePort(String name, int port, int portsAfter) {
        if (port < 0 || port + (port == 0 ? 0 : portsAfter) > 65_535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535 (for all droplets), was " + port);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "dop_v1_" + HexFormat.of().formatHex(bytes);
    }

    /** The token is a secret: never printed. */
    @Override
    public String toString() {
        return "SandboxSettings[workFolder=" + workFolder + ", appName=" + appName + ", dropletsPerColour="
                + dropletsPerColour + ", apiPort=" + apiPort + ", loadBalancerPort=" + loadBalancerPort
                + ", firstSshPort=" + firstSshPort + ", firstHttpPort=" + firstHttpPort + ", apiToken=(hidden)"
                + ", bootstrapVersion=" + bootstrapVersion + ", simulator=" + simulator + ", trafficMode=" + trafficMode
                + ", reservedIpPort=" + reservedIpPort + ", apps=" + apps
                + ", externalDroplets=" + externalDroplets + "]";
    }
}
