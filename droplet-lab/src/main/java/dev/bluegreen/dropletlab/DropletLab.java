package dev.bluegreen.dropletlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Droplets for a test: each a {@link NetnsDroplet} running OpenSSH, nginx and gunicorn with the sample app (see
 * {@link SampleRepository}) at {@code /srv/sample}, on branch main, set up from the bootstrap kit. SSH logins are as
 * {@value #USER} with {@link #clientPrivateKey()}; {@link #knownHosts()} lists every droplet's host key. Close it to
 * end the droplets; a lab that was never closed (the JVM was killed) is cleaned up by the next lab on the machine.
 *
 * <pre>{@code
 * DropletPrerequisites.assumeAvailable();
 * try (DropletLab lab = DropletLab.start(folder, 2)) {
 *     NetnsDroplet first = lab.droplets().get(0);
 *     // ssh root@first.address() with lab.clientPrivateKey(); http://first.address()/ is nginx
 * }
 * }</pre>
 */
public final class DropletLab implements AutoCloseable {

    /** The sample app's name: its checkout is /srv/sample, its pid file /run/gunicorn/sample.pid. */
    public static final String APP = "sample";

    /** Who SSH logs in as: root, the deploy-agent's default user, for which OpenSSH refuses signal requests. */
    public static final String USER = "root";

    private static final Logger log = LoggerFactory.getLogger(DropletLab.class);

    private final Path folder;

    private final LabNetwork network;

    private final SampleRepository repository;

    private final List<NetnsDroplet> droplets = new ArrayList<>();

    private final Thread cleanUpAtExit;

    private boolean closed;

    private DropletLab(Path folder, LabNetwork network, SampleRepository repository) {
        this.folder = folder;
        this.network = network;
        this.repository = repository;
        this.cleanUpAtExit = new Thread(this::close, "droplet-lab-" + network.runId() + "-exit");
        Runtime.getRuntime().addShutdownHook(cleanUpAtExit);
    }

    /**
     * Starts {@code count} droplets, each serving the sample app's main branch through nginx, in {@code folder}.
     *
     * @throws IllegalStateException when the machine cannot run the lab (see {@link DropletPrerequisites}) or a
     *     droplet does not come up, saying why
     */
    public static DropletLab start(Path folder, int count) {
        List<String> missing = DropletPrerequisites.missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The droplet lab cannot run here: " + String.join("; ", missing));
        }
        long started = System.nanoTime();
        Path home = folder.toAbsolutePath().normalize();
        LabNetwork network = LabNetwork.open();
        DropletLab lab;
        try {
            Files.createDirectories(home.resolve("shared-data"));
            lab = new DropletLab(home, network, SampleRepository.create(home.resolve("repository")));
        }
        catch (IOException | RuntimeException ex) {
            network.close();
            throw ex instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) ex;
        }
        try {
            lab.boot(count);
        }
        catch (RuntimeException ex) {
            lab.close();
            throw ex;
        }
        log.info("The droplet lab {} started {} droplet(s) in {} ms: {}.", network.runId(), count,
                (System.nanoTime() - started) / 1_000_000, lab.droplets);
        return lab;
    }

    private void boot(int count) {
        HostCommands.require("Making the lab's SSH key", "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                "droplet-lab", "-f", clientPrivateKey().toString());
        String publicKey = read(folder.resolve("client_ed25519.pub")).strip();
        BootstrapKit kit = BootstrapKit.render(kitValues(repository.url(), publicKey));
        for (int index = 0; index < count; index++) {
            droplets.add(NetnsDroplet.boot(index, network, folder.resolve("droplets/" + index),
                    folder.resolve("shared-data"), kit, APP, publicKey));
        }
        write(knownHosts(), String.join("\n", droplets.stream().map(NetnsDroplet::knownHostsLine).toList()) + "\n");
        if (droplets.isEmpty()) {
            return;
        }
        // the first droplet runs the kit's prepare script; the others start from a copy of its checkout and
        // virtualenv, as droplets made from a snapshot of it would (the same paths in every droplet keep it valid)
        long preparing = System.nanoTime();
        droplets.get(0).prepareApp(kit);
        log.info("The bootstrap kit's prepare script set up the sample app on droplet 0 in {} ms.",
                (System.nanoTime() - preparing) / 1_000_000);
        for (NetnsDroplet droplet : droplets.subList(1, droplets.size())) {
            HostCommands.require("Copying the first droplet's checkout to droplet " + droplet.index(), List.of("cp",
                    "-a", droplets.get(0).appDirectory() + "/.", droplet.appDirectory().toString()),
                    Duration.ofMinutes(1));
        }
        try {
            CompletableFuture.allOf(droplets.stream().map(droplet -> CompletableFuture.runAsync(droplet::startApp))
                    .toArray(CompletableFuture[]::new)).join();
        }
        catch (CompletionException ex) {
            throw ex.getCause() instanceof RuntimeException cause ? cause : ex;
        }
    }

    /** The placeholders of the bootstrap kit, as the lab fills them in. */
    static Map<String, String> kitValues(String repository, String deployPublicKey) {
        return Map.of("app", APP, "repository", repository, "branch", SampleRepository.BRANCH, "wsgi_app",
                SampleRepository.WSGI_APP, "deploy_public_key", deployPublicKey);
    }

    public List<NetnsDroplet> droplets() {
        return List.copyOf(droplets);
    }

    public SampleRepository repository() {
        return repository;
    }

    /** The private key that logs in to every droplet as {@value #USER} (OpenSSH format, no passphrase). */
    public Path clientPrivateKey() {
        return folder.resolve("client_ed25519");
    }

    /** A known_hosts file with every droplet's host key, under its address. */
    public Path knownHosts() {
        return folder.resolve("known_hosts");
    }

    /** Where the droplets' shared {@code /srv/data} (the sample app's database) is on the host. */
    public Path sharedData() {
        return folder.resolve("shared-data");
    }

    /** The id this run's namespaces and links carry in their names ({@code bgl-<id>-<n>}, {@code bgl<id>h<n>}). */
    public String runId() {
        return network.runId();
    }

    /** Ends every droplet: all processes in their namespaces, the namespaces and their links. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        droplets.forEach(NetnsDroplet::stopped);
        network.close();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanUpAtExit);
        }
        catch (IllegalStateException ex) {
            // the JVM is exiting, and this is the hook
        }
        log.info("The droplet lab {} stopped.", network.runId());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
