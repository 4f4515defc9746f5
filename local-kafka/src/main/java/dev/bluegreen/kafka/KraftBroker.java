package dev.bluegreen.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (one process is both broker and controller), started in this JVM from
 * the Kafka jars. Meant for running bluegreen on a laptop and for tests on machines without Docker. Tests that stop
 * and restart brokers use a {@link KraftCluster}.
 *
 * <pre>{@code
 * try (KraftBroker kafka = KraftBroker.start(Path.of("data/kafka"), 9092)) {
 *     String bootstrap = kafka.bootstrapServers(); // "127.0.0.1:9092"
 * }
 * }</pre>
 */
public final class KraftBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KraftBroker.class);

    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** A port we picked ourselves may be taken by someone else before Kafka binds it; then we pick again. */
    private static final int ATTEMPTS_WITH_PICKED_PORTS = 3;
    /** One node: the internal topics cannot have more replicas, and a few partitions start faster than 50. */
    private static final Map<String, String> SINGLE_NODE = Map.of(
            "default.replication.factor", "1",
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "1",
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1");

    private final KraftNode node;
    private final boolean temporaryDataDirectory;
    private boolean closed;

    private KraftBroker(KraftNode node, boolean temporaryDataDirectory) {
        this.node = node;
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
        if (port != 0 && !KraftNode.isFree(port)) {
            throw new PortInUseException(port);
        }
        boolean temporary = dataDirectory == null;
        Path directory = temporary
                ? KraftNode.createTemporaryDirectory("kraft-broker-")
                : dataDirectory.toAbsolutePath();
        try {
            return startWithRetries(directory, port, temporary);
        }
        catch (RuntimeException ex) {
            if (temporary) {
                KraftNode.deleteRecursively(directory);
            }
            throw ex;
        }
    }

    private static KraftBroker startWithRetries(Path directory, int port, boolean temporary) {
        for (int attempt = 1;; attempt++) {
            List<Integer> picked = KraftNode.freePorts(2);
            int clientPort = port != 0 ? port : picked.get(0);
            try {
                return startOnce(directory, clientPort, picked.get(1), temporary);
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
        KraftNode node = new KraftNode(NODE_ID, directory, port, controllerPort,
                KraftNode.voter(NODE_ID, controllerPort), SINGLE_NODE);
        node.format(Uuid.randomUuid().toString());
        node.start();
        KraftBroker broker = new KraftBroker(node, temporary);
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
        return node.address();
    }

    public int port() {
        return node.port();
    }

    public Path dataDirectory() {
        return node.directory();
    }

    /** Stops the broker, waits until it has shut down, and deletes the data directory if it was a temporary one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        node.stop();
        if (temporaryDataDirectory) {
            KraftNode.deleteRecursively(node.directory());
        }
        log.info("Kafka broker on {} has stopped.", bootstrapServers());
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
}
