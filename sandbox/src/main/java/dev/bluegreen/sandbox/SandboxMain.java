package dev.bluegreen.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import dev.bluegreen.commandline.Commands;
import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.digitalocean.HealthMetricsShape;

/**
 * Runs a sandbox on fixed ports until Ctrl-C, writes its apps file and prints how to reach it. picocli parses the
 * options ({@code --help} lists them with their defaults) and writes the bash completion
 * ({@code generate-completion}), set up as in every bluegreen tool by {@link Commands}.
 */
@Command(name = "sandbox", usageHelpWidth = 100,
        description = "Runs a bluegreen sandbox (a DigitalOcean API, a load balancer and SSH droplets) until Ctrl-C.",
        footer = "Exit codes: 1 the sandbox did not start, 2 wrong usage or a port is taken.")
public final class SandboxMain implements Callable<Integer> {

    static final int NOT_STARTED = 1;
    static final int USAGE = Commands.USAGE;

    private final PrintStream out;

    @Option(names = "--api-port", defaultValue = "8090", description = "the DigitalOcean API's port; default "
            + "${DEFAULT-VALUE}")
    int apiPort;

    @Option(names = "--load-balancer-port", defaultValue = "8088", description = "the load balancer's port; default "
            + "${DEFAULT-VALUE}")
    int loadBalancerPort;

    @Option(names = "--first-ssh-port", defaultValue = "2221", description = "the first droplet's SSH port, the "
            + "others follow; default ${DEFAULT-VALUE}")
    int firstSshPort;

    @Option(names = "--first-http-port", defaultValue = "9001", description = "the first droplet's HTTP port, the "
            + "others follow; default ${DEFAULT-VALUE}")
    int firstHttpPort;

    @Option(names = "--droplets-per-colour", defaultValue = "2", description = "default ${DEFAULT-VALUE}")
    int dropletsPerColour;

    @Option(names = "--app", defaultValue = "sample-app", description = "the app's name; default ${DEFAULT-VALUE}")
    String app = "";

    @Option(names = "--version", defaultValue = "v1", description = "the sample app's tag the droplets start with; "
            + "default ${DEFAULT-VALUE}")
    String version = "";

    @Option(names = "--work-dir", defaultValue = ".local/sandbox", description = "default ${DEFAULT-VALUE}")
    Path workDir = Path.of("");

    @Option(names = "--apps-file", defaultValue = ".local/bluegreen.yml", description = "where the apps file is "
            + "written; default ${DEFAULT-VALUE}")
    Path appsFile = Path.of("");

    @Option(names = "--traffic-mode", defaultValue = "by-id", completionCandidates = TrafficModes.class,
            description = "${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}")
    String trafficMode = "";

    @Option(names = "--reserved-ip-port", defaultValue = "8089", description = "the reserved IP's port, with "
            + "--traffic-mode reserved-ip; default ${DEFAULT-VALUE}")
    int reservedIpPort;

    @Option(names = "--busy-window-ms", defaultValue = "0", description = "how long the API answers a balancer "
            + "update with 'busy' after another; default ${DEFAULT-VALUE}")
    long busyWindowMs;

    @Option(names = "--health-metrics", defaultValue = "by-droplet-id", completionCandidates = HealthMetrics.class,
            description = "${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}")
    String healthMetrics = "";

    @Spec
    @Nullable CommandSpec spec;

    private SandboxMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        // before the first logger exists: the sandbox's own classes speak only when something goes wrong
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "sandbox-main-logback.xml");
        }
        int exitCode = commandLine(System.out, System.err).execute(args);
        // after Ctrl-C the shutdown hooks are running: System.exit would wait for them forever
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** The command line of the sandbox; its usage errors exit 2 with what is wrong and the usage. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return Commands.configure(new CommandLine(new SandboxMain(out)), out, err);
    }

    /** Starts the sandbox and runs it until the JVM is asked to stop. */
    @Override
    public Integer call() throws InterruptedException {
        SandboxSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine(), e.getMessage(), e);
        }
        try {
            refuseTakenPorts(settings);
        } catch (IllegalArgumentException e) {
            commandLine().getErr().println(e.getMessage());
            return USAGE;
        }
        Sandbox sandbox;
        try {
            sandbox = Sandbox.start(settings);
        } catch (RuntimeException e) {
            commandLine().getErr().println("The sandbox did not start: " + (causedByBind(e)
                    ? "a port it needs is taken. Stop whatever holds it or pick other ports (see --help)."
                    : e.getMessage()));
            return NOT_STARTED;
        }
        Path written = sandbox.writeAppsFile(appsFile.toAbsolutePath().normalize());
        describe(sandbox, written, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-main-shutdown"));
        stopped.await();
        return 0;
    }

    private CommandLine commandLine() {
        if (spec == null) {
            throw new IllegalStateException("picocli injects the spec before it runs a command");
        }
        return spec.commandLine();
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

    /** @throws IllegalArgumentException naming the option whose value is wrong */
    SandboxSettings settings() {
        return SandboxSettings.defaults()
                .withWorkFolder(workDir.toAbsolutePath().normalize())
                .withAppName(app)
                .withDropletsPerColour(dropletsPerColour)
                .withPorts(apiPort, loadBalancerPort, firstSshPort, firstHttpPort)
                .withBootstrapVersion(version)
                .withTrafficMode(trafficMode(trafficMode))
                .withReservedIpPort(reservedIpPort)
                .withBusyWindow(Duration.ofMillis(busyWindowMs))
                .withHealthMetrics(HealthMetricsShape.ofOption(healthMetrics));
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

    /** The values of {@code --traffic-mode}, for the help and the shell's completion. */
    static final class TrafficModes implements Iterable<String> {

        @Override
        public Iterator<String> iterator() {
            return List.of("by-id", "by-tag", "reserved-ip").iterator();
        }
    }

    /** The values of {@code --health-metrics}, for the help and the shell's completion. */
    static final class HealthMetrics implements Iterable<String> {

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(HealthMetricsShape.values()).map(HealthMetricsShape::optionName).iterator();
        }
    }
}
