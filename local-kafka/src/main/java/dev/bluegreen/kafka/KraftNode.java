package dev.bluegreen.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.storage.internals.checkpoint.CleanShutdownFileHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka server in KRaft combined mode (broker and controller in one), run in this JVM. It keeps its id, ports
 * and data directory, so it can be stopped and started again as the same node. {@link KraftBroker} runs one on its
 * own, {@link KraftCluster} several as one quorum.
 */
final class KraftNode {

    static final String HOST = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(KraftNode.class);

    private final int id;
    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final KafkaConfig config;
    private @Nullable KafkaRaftServer server;

    /**
     * @param voters {@code controller.quorum.voters}, this node among them, as {@link #voter} writes each
     * @param settings what this node sets beyond the settings every node has, such as replication factors
     */
    KraftNode(int id, Path directory, int port, int controllerPort, String voters, Map<String, String> settings) {
        this.id = id;
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
        Properties all = commonSettings(id, directory, port, controllerPort, voters);
        all.putAll(settings);
        this.config = KafkaConfig.fromProps(all, false);
    }

    /** One entry of {@code controller.quorum.voters}, such as {@code 1@127.0.0.1:9093}. */
    static String voter(int id, int controllerPort) {
        return id + "@" + HOST + ":" + controllerPort;
    }

    private static Properties commonSettings(int id, Path directory, int port, int controllerPort, String voters) {
        Properties settings = new Properties();
        settings.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(id)),
                Map.entry("controller.quorum.voters", voters),
                Map.entry("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", directory.toString()),
                Map.entry("auto.create.topics.enable", "true"),
                // a topic a client creates by writing to it first gets the lifecycle topic's partitions, so that a
                // test that publishes before a service declares bluegreen.lifecycle does not split an app's history
                Map.entry("num.partitions", "12"),
                // Consumers that join one after another should not wait for each other.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // The defaults suit a production server: a 128 MB cleaner buffer and eight I/O threads.
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024)),
                Map.entry("num.io.threads", "2"),
                Map.entry("num.network.threads", "2")));
        return settings;
    }

    /** Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does, unless done before. */
    void format(String clusterId) {
        if (Files.exists(directory.resolve("meta.properties"))) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(id)
                .setClusterId(clusterId)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .setHasDynamicQuorum(false)
                .addDirectory(directory.toString());
        try {
            Files.createDirectories(directory);
            formatter.run();
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not format Kafka's data directory " + directory + ": "
                    + ex.getMessage(), ex);
        }
    }

    /**
     * Starts the server. Returns once the broker has caught up with the cluster's metadata, which takes a majority
     * of the controller quorum: the first node of a cluster returns only when a second one has started.
     *
     * @throws PortInUseException if one of the node's ports is taken
     */
    synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("Kafka node " + id + " is running already");
        }
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            starting.startup();
        }
        catch (RuntimeException ex) {
            shutdown(starting);
            throw portInUse(ex).orElseThrow(() -> ex);
        }
        server = starting;
    }

    /** Shuts the server down, as its configuration says (with or without a controlled shutdown), and waits for it. */
    synchronized void stop() {
        if (server != null) {
            shutdown(server);
            server = null;
        }
    }

    /**
     * Stops the server and removes the mark a clean shutdown leaves in the data directory, so that the next start
     * recovers the logs and registers with the controller as a broker that crashed.
     */
    synchronized void stopAsIfCrashed() {
        stop();
        try {
            new CleanShutdownFileHandler(directory.toString()).delete();
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not remove the clean shutdown mark of Kafka node " + id + " in "
                    + directory, ex);
        }
    }

    synchronized boolean running() {
        return server != null;
    }

    int id() {
        return id;
    }

    int port() {
        return port;
    }

    Path directory() {
        return directory;
    }

    /** The address clients connect to, such as {@code 127.0.0.1:9092}. */
    String address() {
        return HOST + ":" + port;
    }

    private void shutdown(KafkaRaftServer running) {
        try {
            running.shutdown();
            running.awaitShutdown();
        }
        catch (RuntimeException ex) {
            log.warn("Kafka node {} did not shut down cleanly: {}", id, ex.toString());
        }
    }

    private Optional<PortInUseException> portInUse(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof BindException || message.contains("Address already in use")) {
                int taken = message.contains(":" + controllerPort + ":") ? controllerPort : port;
                return Optional.of(new PortInUseException(taken, failure));
            }
        }
        return Optional.empty();
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As Kafka binds: connections of a broker that just stopped, still in TIME_WAIT, do not make the port taken.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    /** As many different free ports; one of them may still be taken by someone else before Kafka binds it. */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            // held open together, so that no port is handed out twice
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getByName(HOST)));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not find " + count + " free ports on " + HOST, ex);
        }
        finally {
            held.forEach(KraftNode::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            log.debug("Could not close a socket used to find a free port: {}", ex.toString());
        }
    }

    static Path createTemporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create a temporary directory for Kafka's data", ex);
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException | UncheckedIOException ex) {
            log.warn("Could not delete Kafka's temporary data directory {}: {}", directory, ex.toString());
        }
    }
}
