package dev.bluegreen.dropletlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.dropletlab.BootstrapKit.GunicornUnit;

/**
 * One droplet of a {@link DropletLab}: a network namespace with its own address, and a mount namespace in which
 * {@code /run}, {@code /srv} and root's home are its own (so droplets never share a pid file or a checkout),
 * while {@code /srv/data} is the lab's shared data folder. In it run OpenSSH's {@code sshd} on port 22, {@code nginx}
 * on port 80 with the kit's site, and gunicorn as the kit's unit runs it, serving the sample app from
 * {@code /srv/<app>}. Everything runs as root; SSH logins are as root, with the lab's key.
 */
public final class NetnsDroplet {

    private static final Logger log = LoggerFactory.getLogger(NetnsDroplet.class);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int index;

    private final String app;

    private final GunicornUnit unit;

    private final LabNetwork.Link link;

    private final Path folder;

    private final Process holder;

    private final String hostKey;

    private final String hostKeyFingerprint;

    private final List<Process> daemons = new ArrayList<>();

    private volatile @Nullable Process gunicorn;

    private NetnsDroplet(int index, String app, GunicornUnit unit, LabNetwork.Link link, Path folder, Process holder,
            String hostKey, String hostKeyFingerprint) {
        this.index = index;
        this.app = app;
        this.unit = unit;
        this.link = link;
        this.folder = folder;
        this.holder = holder;
        this.hostKey = hostKey;
        this.hostKeyFingerprint = hostKeyFingerprint;
    }

    /** Makes the namespaces and starts sshd and nginx; the app is set up and started by the lab afterwards. */
    static NetnsDroplet boot(int index, LabNetwork network, Path folder, Path sharedData, BootstrapKit kit,
            String app, String clientPublicKey) {
        try {
            for (String sub : List.of("srv/data", "srv/" + app, "etc", "log")) {
                Files.createDirectories(folder.resolve(sub));
            }
            LabNetwork.Link link = network.create(index);
            Process holder = holdNamespaces(link.namespace(), folder.resolve("srv"), sharedData, rootHome(folder));
            Path etc = folder.resolve("etc");
            HostCommands.require("Making droplet " + index + "'s host key", "ssh-keygen", "-q", "-t", "ed25519",
                    "-N", "", "-C", "droplet-" + index, "-f", etc.resolve("ssh_host_ed25519_key").toString());
            String hostKey = String.join(" ", List.of(Files.readString(etc.resolve("ssh_host_ed25519_key.pub"))
                    .strip().split(" ")).subList(0, 2));
            String fingerprint = HostCommands.require("Reading droplet " + index + "'s host key fingerprint",
                    "ssh-keygen", "-l", "-f", etc.resolve("ssh_host_ed25519_key.pub").toString()).split(" ")[1];
            NetnsDroplet droplet = new NetnsDroplet(index, app, kit.gunicornUnit(), link, folder, holder, hostKey,
                    fingerprint);
            Files.writeString(etc.resolve("authorized_keys"), clientPublicKey + "\n");
            Files.writeString(etc.resolve("sshd_config"), droplet.sshdConfig(kit));
            Files.createDirectories(etc.resolve("sites-enabled"));
            Files.writeString(etc.resolve("sites-enabled").resolve(app), kit.nginxSite());
            Files.writeString(etc.resolve("nginx.conf"), droplet.nginxConfig());
            droplet.daemon(List.of("/usr/sbin/sshd", "-D", "-f", etc.resolve("sshd_config").toString(), "-E",
                    folder.resolve("log/sshd.log").toString()), "sshd", 22);
            droplet.daemon(List.of("/usr/sbin/nginx", "-c", etc.resolve("nginx.conf").toString(), "-e",
                    folder.resolve("log/nginx-error.log").toString()), "nginx", 80);
            return droplet;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not set up droplet " + index + " in " + folder, ex);
        }
    }

    /**
     * A process that enters the namespace, makes a mount namespace of its own with a fresh {@code /run}, the
     * droplet's {@code /srv} and root's home, and then only waits: everything else of the droplet joins its
     * namespaces.
     */
    private static Process holdNamespaces(String namespace, Path srv, Path sharedData, Path home) {
        String mounts = "mount -t tmpfs -o mode=0755 tmpfs /run && mkdir -m 0755 /run/sshd /run/gunicorn"
                + " && mount --bind '" + srv + "' /srv && mount --bind '" + sharedData + "' /srv/data"
                + " && mount --bind '" + home + "' /root"
                + " && echo ready && exec sleep infinity";
        Process holder = HostCommands.start(List.of("nsenter", "--net=/run/netns/" + namespace, "unshare", "--mount",
                "--propagation", "private", "/bin/sh", "-c", mounts), null);
        BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                StringBuilder lines = new StringBuilder();
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    if (line.equals("ready")) {
                        return "ready";
                    }
                    lines.append(line).append('\n');
                }
                return lines.toString();
            }
            catch (IOException ex) {
                return ex.getMessage();
            }
        });
        try {
            String answer = ready.get(10, TimeUnit.SECONDS);
            if (!answer.equals("ready")) {
                throw new IllegalStateException("The mounts of droplet namespace " + namespace + " failed: " + answer);
            }
            return holder;
        }
        catch (InterruptedException | ExecutionException | TimeoutException ex) {
            HostCommands.kill(holder);
            throw new IllegalStateException("The mounts of droplet namespace " + namespace + " did not finish", ex);
        }
    }

    /**
     * Root's home in the droplet: a fresh one with the distribution's skeleton files, as on a new droplet. The host's
     * own (with whatever its shell startup files run, such as a pyenv that locks its shims) stays out.
     */
    private static Path rootHome(Path folder) throws IOException {
        Path home = Files.createDirectories(folder.resolve("root"));
        for (String file : List.of(".bashrc", ".profile")) {
            Path skeleton = Path.of("/etc/skel", file);
            if (Files.isReadable(skeleton)) {
                Files.copy(skeleton, home.resolve(file));
            }
        }
        return home;
    }

    private String sshdConfig(BootstrapKit kit) {
        Path etc = folder.resolve("etc");
        return "# The droplet lab's sshd for droplet " + index + ", on port 22 of its own address.\n"
                + "Port 22\n"
                + "HostKey " + etc.resolve("ssh_host_ed25519_key") + "\n"
                + "AuthorizedKeysFile " + etc.resolve("authorized_keys") + "\n"
                + "PidFile /run/sshd.pid\n"
                + "PermitRootLogin prohibit-password\n"
                + "UsePAM no\n"
                + "# The lab's folders are under /tmp, which everyone may write: StrictModes would refuse the key.\n"
                + "StrictModes no\n"
                + "# What the bootstrap kit sets on a real droplet:\n"
                + kit.sshdSettings();
    }

    private String nginxConfig() {
        Path logs = folder.resolve("log");
        return "# The droplet lab's nginx for droplet " + index + "; the server block is the bootstrap kit's site.\n"
                + "user www-data;\n"
                + "worker_processes 1;\n"
                + "daemon off;\n"
                + "pid /run/nginx.pid;\n"
                + "error_log " + logs.resolve("nginx-error.log") + ";\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "    include /etc/nginx/mime.types;\n"
                + "    access_log " + logs.resolve("nginx-access.log") + ";\n"
                + "    include " + folder.resolve("etc/sites-enabled") + "/*;\n"
                + "}\n";
    }

    private void daemon(List<String> command, String name, int port) {
        Process started = HostCommands.start(inDroplet(command, "/", Map.of()), folder.resolve("log/" + name
                + ".out"));
        daemons.add(started);
        awaitPort(port, started, name);
    }

    /** Runs the kit's prepare script in the droplet: clones the sample app, makes its virtualenv, installs. */
    void prepareApp(BootstrapKit kit) {
        Path script = folder.resolve("etc/prepare-" + app);
        try {
            Files.writeString(script, kit.prepareScript());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ExecResult prepared = HostCommands.run(inDroplet(List.of("/bin/sh", script.toString()), "/srv/" + app,
                Map.of()), Duration.ofMinutes(2));
        if (!prepared.succeeded()) {
            throw new IllegalStateException("The bootstrap kit's prepare script failed on droplet " + index
                    + " with exit code " + prepared.exitCode() + ": " + prepared.output().strip());
        }
    }

    /**
     * Starts gunicorn with the command line, directory and environment of the kit's unit, as systemd would, and
     * waits until nginx answers {@code /healthz} with 200 from the app. Does nothing while it runs.
     *
     * @throws IllegalStateException when the app does not come up, with the end of gunicorn's log
     */
    public synchronized void startApp() {
        Process running = gunicorn;
        if (running != null && running.isAlive()) {
            return;
        }
        long starting = System.nanoTime();
        gunicorn = HostCommands.start(inDroplet(unit.commandLine(), unit.workingDirectory(), unit.environment()),
                folder.resolve("log/gunicorn.log"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!gunicorn.isAlive()) {
                break;
            }
            if (get("/healthz").map(answer -> answer.statusCode() == 200).orElse(false)) {
                log.info("Droplet {} serves {} at {}; gunicorn took {} ms to come up.", index, app, httpUrl(),
                        (System.nanoTime() - starting) / 1_000_000);
                return;
            }
            pause();
        }
        throw new IllegalStateException("gunicorn did not come up on droplet " + index + ": " + logTail("gunicorn.log"));
    }

    /** Stops gunicorn, if it runs: its master gets QUIT, gunicorn's quick shutdown, since no test waits on it. */
    public synchronized void stopApp() {
        Process running = gunicorn;
        if (running == null) {
            return;
        }
        long stopping = System.nanoTime();
        HostCommands.run("kill", "-s", "QUIT", Long.toString(running.pid()));
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                HostCommands.kill(running);
            }
        }
        catch (InterruptedException ex) {
            HostCommands.kill(running);
            Thread.currentThread().interrupt();
        }
        gunicorn = null;
        log.info("Droplet {} stopped gunicorn in {} ms.", index, (System.nanoTime() - stopping) / 1_000_000);
    }

    /** Stops the app, checks out {@code ref} in {@code /srv/<app>} and starts the app again on it. */
    public void serve(String ref) {
        stopApp();
        ExecResult checkout = exec("git checkout --quiet --force --detach " + ref);
        if (!checkout.succeeded()) {
            throw new IllegalStateException("Checking out " + ref + " on droplet " + index + " failed: "
                    + checkout.output().strip());
        }
        startApp();
    }

    /** Runs {@code command} with {@code /bin/sh} in the droplet, as root, in {@code /srv/<app>}. */
    public ExecResult exec(String command) {
        return HostCommands.run(inDroplet(List.of("/bin/sh", "-c", command), "/srv/" + app, Map.of()),
                Duration.ofSeconds(60));
    }

    /** The command lines of the processes in the droplet now. */
    public List<String> processes() {
        List<String> commandLines = new ArrayList<>();
        for (long pid : LabNetwork.processesIn(link.namespace())) {
            try {
                byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
                commandLines.add(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip());
            }
            catch (IOException ex) {
                // it ended meanwhile
            }
        }
        return commandLines;
    }

    /** The pid of gunicorn's master, from the pid file the kit's unit names, while that process lives. */
    public OptionalLong appPid() {
        Path pidFile = Path.of("/proc/" + holder.pid() + "/root" + unit.pidFile());
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid)
                    : OptionalLong.empty();
        }
        catch (IOException | NumberFormatException ex) {
            return OptionalLong.empty();
        }
    }

    /** A request to the droplet's nginx, or empty when it does not answer. */
    public Optional<HttpResponse<String>> get(String path) {
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(httpUrl().resolve(path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        catch (IOException ex) {
            return Optional.empty();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public int index() {
        return index;
    }

    /** The network namespace's name, for {@code ip netns exec}. */
    public String namespace() {
        return link.namespace();
    }

    /** The droplet's address, which the host reaches through the droplet's link. */
    public String address() {
        return link.dropletAddress();
    }

    /** The host's address on the droplet's link, which the droplet reaches. */
    public String hostAddress() {
        return link.hostAddress();
    }

    /** {@code ADDRESS:22}, as the apps file's {@code ssh} wants it. */
    public String sshAddress() {
        return address() + ":22";
    }

    /** {@code http://ADDRESS:80}, where nginx answers. */
    public URI httpUrl() {
        return URI.create("http://" + address() + ":80");
    }

    /** The host key, {@code ssh-ed25519 AAAA…}. */
    public String hostKey() {
        return hostKey;
    }

    /** This droplet's line for a known_hosts file. */
    public String knownHostsLine() {
        return address() + " " + hostKey;
    }

    /** The host key's fingerprint as {@code ssh-keygen -l} prints it, {@code SHA256:…}. */
    public String hostKeyFingerprint() {
        return hostKeyFingerprint;
    }

    /** Where the droplet's {@code /srv} is on the host. */
    public Path srv() {
        return folder.resolve("srv");
    }

    /** Where the droplet's checkout, {@code /srv/<app>}, is on the host. */
    public Path appDirectory() {
        return srv().resolve(app);
    }

    /** The droplet's logs on the host: sshd.log, nginx-error.log, nginx-access.log, gunicorn.log. */
    public Path logs() {
        return folder.resolve("log");
    }

    /** Runs {@code command} in the droplet's network and mount namespaces. */
    List<String> inDroplet(List<String> command, String workingDirectory, Map<String, String> environment) {
        // not nsenter's --wd: it opens the folder before it enters the mount namespace, where /srv is another
        List<String> entered = new ArrayList<>(List.of("nsenter", "--target", Long.toString(holder.pid()), "--mount",
                "--net", "--", "env", "--chdir=" + workingDirectory));
        environment.forEach((name, value) -> entered.add(name + "=" + value));
        entered.addAll(command);
        return entered;
    }

    /** Ends whatever the lab started for the droplet; the lab removes the namespace and all left in it. */
    void stopped() {
        Process running = gunicorn;
        if (running != null) {
            HostCommands.kill(running);
        }
        daemons.forEach(HostCommands::kill);
        HostCommands.kill(holder);
    }

    private void awaitPort(int port, Process daemon, String name) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && daemon.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address(), port), 500);
                return;
            }
            catch (IOException ex) {
                pause();
            }
        }
        throw new IllegalStateException(name + " did not start on droplet " + index + " (" + address() + ":" + port
                + "): " + logTail(name + ".out") + " " + logTail(name.equals("nginx") ? "nginx-error.log"
                        : "sshd.log"));
    }

    private String logTail(String file) {
        try {
            List<String> lines = Files.readAllLines(folder.resolve("log").resolve(file));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        }
        catch (IOException ex) {
            return "(no " + file + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a droplet started", ex);
        }
    }

    @Override
    public String toString() {
        return "NetnsDroplet[" + index + ", " + address() + ", namespace " + namespace() + "]";
    }
}
