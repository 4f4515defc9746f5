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
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (one process is both broker and controller), started in this JVM from
 * the Kafka jars. Meant for running bluegreen on a laptop and for tests on machines without Docker.
 *
 * <pre>{@code
 * try (KraftBroker kafka = KraftBroker.start(Path.of("data/kafka"), 9092)) {
 *     String bootstrap = kafka.bootstrapServers(); // "127.0.0.1:9092"
 * }
 * }</pre>
 */
public final class KraftBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KraftBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** A port we picked ourselves may be taken by someone else before Kafka binds it; then we pick again. */
    private static final int ATTEMPTS_WITH_PICKED_PORTS = 3;

    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDirectory;
    private final boolean temporaryDataDirectory;
    private boolean closed;

    private KraftBroker(KafkaRaftServer server, int port, Path dataDirectory, boolean temporaryDataDirectory) {
        this.server = server;
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.temporaryDataDirectory = temporaryDataDirectory;
    }

    /** Starts a broker on a free port with a temporary data directory, deleted again on {@link #close()}. */
    public static KraftBroker start() {
        return start(null, 0);
    }

    /**
     * Starts a broker and returns once it accepts clients.
     *
     * @param dataDirectory where Kafka keeps its logs and metadata; formatted on first use and reused after that.
     *                      {@code null} for a temporary directory that {@link #close()} deletes
     * @param port the client port on 127.0.0.1, or 0 for a free one. The controller always takes a free port
     * @throws PortInUseException if {@code port} is taken by another process
     */
    public static KraftBroker start(@Nullable Path dataDirectory, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Kafka port must be between 0 and 65535, not " + port);
        }
        if (port != 0 && !isFree(port)) {
            throw new PortInUseException(port);
        }
        boolean temporary = dataDirectory == null;
        Path directory = temporary ? createTemporaryDirectory() : dataDirectory.toAbsolutePath();
        try {
            return startWithRetries(directory, port, temporary);
        }
        catch (RuntimeException ex) {
            if (temporary) {
                deleteRecursively(directory);
            }
            throw ex;
        }
    }

    private static KraftBroker startWithRetries(Path directory, int port, boolean temporary) {
        for (int attempt = 1;; attempt++) {
            int clientPort = port != 0 ? port : freePort();
            try {
                return startOnce(directory, clientPort, freePort(), temporary);
            }
            catch (PortInUseException ex) {
                if (port != 0 && ex.port() == port || attempt == ATTEMPTS_WITH_PICKED_PORTS) {
                    throw ex;
                }
                log.debug("Port {} was taken before Kafka could bind it; trying other ports.", ex.port());
            }
        }
    }

    private static KraftBroker startOnce(Path directory, int port, int controllerPort, boolean temporary) {
        long started = System.nanoTime();
        KafkaConfig config = KafkaConfig.fromProps(settings(directory, port, controllerPort), false);
        format(config, directory);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        }
        catch (RuntimeException ex) {
            stop(server);
            throw portInUse(ex, port, controllerPort).orElseThrow(() -> ex);
        }
        KraftBroker broker = new KraftBroker(server, port, directory, temporary);
        try {
            broker.awaitClientsAccepted();
        }
        catch (RuntimeException ex) {
            broker.close();
            throw ex;
        }
        log.info("Kafka broker is up on {} after {} ms, keeping its data in {}.", broker.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), directory);
        return broker;
    }

    /** The address clients connect to, such as {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the broker, waits until it has shut down, and deletes the data directory if it was a temporary one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(server);
        if (temporaryDataDirectory) {
            deleteRecursively(dataDirectory);
        }
        log.info("Kafka broker on {} has stopped.", bootstrapServers());
    }

    static Properties settings(Path directory, int port, int controllerPort) {
        Properties settings = new Properties();
        settings.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", directory.toString()),
                Map.entry("auto.create.topics.enable", "true"),
                Map.entry("num.partitions", "1"),
                Map.entry("default.replication.factor", "1"),
                // One node: the internal topics cannot have more replicas, and a few partitions start faster than 50.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // Consumers that join one after another should not wait for each other.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // The defaults suit a production server: a 128 MB cleaner buffer and eight I/O threads.
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024)),
                Map.entry("num.io.threads", "2"),
                Map.entry("num.network.threads", "2")));
        return settings;
    }

    /** Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does, unless done before. */
    private static void format(KafkaConfig config, Path directory) {
        if (Files.exists(directory.resolve("meta.properties"))) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
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

    private void awaitClientsAccepted() {
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "kraft-broker-readiness");
        try (Admin admin = Admin.create(settings)) {
            DescribeClusterOptions options = new DescribeClusterOptions()
                    .timeoutMs((int) READY_TIMEOUT.toMillis());
            admin.describeCluster(options).nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker on " + bootstrapServers(), ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("The Kafka broker on " + bootstrapServers() + " did not accept clients within "
                    + READY_TIMEOUT.toSeconds() + " s", ex);
        }
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        }
        catch (RuntimeException ex) {
            log.warn("Kafka broker did not shut down cleanly: {}", ex.toString());
        }
    }

    private static Optional<PortInUseException> portInUse(Throwable failure, int port, int controllerPort) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof BindException || message.contains("Address already in use")) {
                int taken = message.contains(":" + controllerPort + ":") ? controllerPort : port;
                return Optional.of(new PortInUseException(taken, failure));
            }
        }
        return Optional.empty();
    }

    private static boolean isFree(int port) {
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not find a free port on " + HOST, ex);
        }
    }

    private static Path createTemporaryDirectory() {
        try {
            return Files.createTempDirectory("kraft-broker-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create a temporary directory for Kafka's data", ex);
        }
    }

    private static void deleteRecursively(Path directory) {
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
