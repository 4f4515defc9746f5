package dev.bluegreen.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.digitalocean.HealthMetricsShape;

/**
 * Runs a sandbox on fixed ports until Ctrl-C, writes its apps file and prints how to reach it.
 *
 * <pre>
 * --api-port 8090  --load-balancer-port 8088  --first-ssh-port 2221  --first-http-port 9001
 * --droplets-per-colour 2  --app sample-app  --version v1
 * --work-dir .local/sandbox  --apps-file .local/bluegreen.yml
 * --traffic-mode by-id|by-tag|reserved-ip  --reserved-ip-port 8089  --busy-window-ms 0
 * --health-metrics by-droplet-id|other-labels|empty|not-found|minutes-apart
 * </pre>
 */
public final class SandboxMain {

    private static final Map<String, String> DEFAULTS = defaults();

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // before the first logger exists: the sandbox's own classes speak only when something goes wrong
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "sandbox-main-logback.xml");
        }
        PrintStream out = System.out;
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        }
        if (options.containsKey("help")) {
            usage(out);
            return;
        }
        SandboxSettings settings;
        try {
            settings = settings(options);
            refuseTakenPorts(settings);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Sandbox sandbox;
        try {
            sandbox = Sandbox.start(settings);
        } catch (RuntimeException e) {
            System.err.println("The sandbox did not start: " + (causedByBind(e)
                    ? "a port it needs is taken. Stop whatever holds it or pick other ports (see --help)."
                    : e.getMessage()));
            System.exit(1);
            return;
        }
        Path appsFile = sandbox.writeAppsFile(Path.of(options.get("apps-file")).toAbsolutePath().normalize());
        describe(sandbox, appsFile, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-main-shutdown"));
        stopped.await();
    }

    private static void describe(Sandbox sandbox, Path appsFile, PrintStream out) {
        out.println();
        out.println("The bluegreen sandbox is running. Press Ctrl-C to stop it.");
        out.println();
        out.println("  DigitalOcean API   " + sandbox.apiUrl());
        out.println("  API token          " + sandbox.apiToken());
        out.println("  load balancer      " + sandbox.loadBalancerUrl() + "  (id " + sandbox.loadBalancerId() + ")");
        sandbox.liveTag().ifPresent(tag -> out.println("  live tag           " + tag));
        sandbox.reservedIp().ifPresent(ip -> out.println("  reserved IP        " + sandbox.reservedIpUrl().orElseThrow()
                + "  (" + ip + ")"));
        for (Colour colour : Colour.values()) {
            for (SandboxDroplet droplet : sandbox.droplets(colour)) {
                out.printf("  %-18s id %d, ssh %s, app %s%n", droplet.name(), droplet.id(), droplet.sshAddress(),
                        droplet.httpUrl());
            }
        }
        out.println("  history (JSON)     " + sandbox.historyUrl());
        out.println("  repository         " + sandbox.repositoryUrl());
        out.println("  SSH key            " + sandbox.clientKeyFile());
        out.println("  known_hosts        " + sandbox.knownHostsFile());
        out.println("  apps file          " + appsFile);
        out.println();
        out.println("Point the services at it with bluegreen.config=" + appsFile);
        out.println("and give them the token, e.g. export DIGITALOCEAN_TOKEN=" + sandbox.apiToken());
        out.println();
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("api-port", "8090");
        defaults.put("load-balancer-port", "8088");
        defaults.put("first-ssh-port", "2221");
        defaults.put("first-http-port", "9001");
        defaults.put("droplets-per-colour", "2");
        defaults.put("app", "sample-app");
        defaults.put("version", "v1");
        defaults.put("work-dir", ".local/sandbox");
        defaults.put("apps-file", ".local/bluegreen.yml");
        defaults.put("traffic-mode", "by-id");
        defaults.put("reserved-ip-port", "8089");
        defaults.put("busy-window-ms", "0");
        defaults.put("health-metrics", HealthMetricsShape.BY_DROPLET_ID.optionName());
        return defaults;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                options.put("help", "");
                continue;
            }
            String name = arg.startsWith("--") ? arg.substring(2) : "";
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!DEFAULTS.containsKey(name)) {
                throw new IllegalArgumentException("Unknown option: " + arg);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option --" + name + " needs a value");
                }
                value = args[++i];
            }
            options.put(name, value);
        }
        return options;
    }

    static SandboxSettings settings(Map<String, String> options) {
        return SandboxSettings.defaults()
                .withWorkFolder(Path.of(options.get("work-dir")).toAbsolutePath().normalize())
                .withAppName(options.get("app"))
                .withDropletsPerColour(number(options, "droplets-per-colour"))
                .withPorts(number(options, "api-port"), number(options, "load-balancer-port"),
                        number(options, "first-ssh-port"), number(options, "first-http-port"))
                .withBootstrapVersion(options.get("version"))
                .withTrafficMode(trafficMode(options.get("traffic-mode")))
                .withReservedIpPort(number(options, "reserved-ip-port"))
                .withBusyWindow(java.time.Duration.ofMillis(number(options, "busy-window-ms")))
                .withHealthMetrics(HealthMetricsShape.ofOption(options.get("health-metrics")));
    }

    private static TrafficMode trafficMode(String option) {
        return switch (option) {
            case "by-id" -> TrafficMode.LOAD_BALANCER_BY_ID;
            case "by-tag" -> TrafficMode.LOAD_BALANCER_BY_TAG;
            case "reserved-ip" -> TrafficMode.RESERVED_IP;
            default -> throw new IllegalArgumentException(
                    "--traffic-mode must be by-id, by-tag or reserved-ip, was '" + option + "'");
        };
    }

    private static int number(Map<String, String> options, String name) {
        try {
            return Integer.parseInt(options.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, was '" + options.get(name) + "'");
        }
    }

    /** Names the taken port and the option that moves it, instead of a stack trace from deep inside. */
    private static void refuseTakenPorts(SandboxSettings settings) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(settings.apiPort(), "--api-port");
        ports.put(settings.loadBalancerPort(), "--load-balancer-port");
        if (settings.trafficMode() == TrafficMode.RESERVED_IP) {
            ports.put(settings.reservedIpPort(), "--reserved-ip-port");
        }
        for (int i = 0; i < 2 * settings.dropletsPerColour(); i++) {
            if (settings.firstSshPort() != 0) {
                ports.putIfAbsent(settings.firstSshPort() + i, "--first-ssh-port");
            }
            if (settings.firstHttpPort() != 0) {
                ports.putIfAbsent(settings.firstHttpPort() + i, "--first-http-port");
            }
        }
        List<String> taken = new ArrayList<>();
        ports.forEach((port, option) -> {
            if (port != 0 && !free(port)) {
                taken.add("Port " + port + " is already in use (move it with " + option + ").");
            }
        });
        if (!taken.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", taken));
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void usage(PrintStream out) {
        out.println("Usage: SandboxMain [--option value]...");
        DEFAULTS.forEach((name, value) -> out.printf("  --%-22s default %s%n", name, value));
    }
}
