package dev.bluegreen.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import dev.bluegreen.kafka.KraftBroker;
import dev.bluegreen.kafka.KraftCluster;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One Kafka broker for the whole test JVM, started on first use and stopped when the JVM exits.
 * <ol>
 * <li>{@code KAFKA_BOOTSTRAP_SERVERS} (system property or environment variable) if set: a broker someone else runs;</li>
 * <li>else a Testcontainers Kafka, if Docker is available;</li>
 * <li>else an embedded {@link KraftBroker} in this JVM.</li>
 * </ol>
 * Use it from Spring tests with {@code @DynamicPropertySource}:
 * <pre>{@code
 * registry.add("spring.kafka.bootstrap-servers", KafkaFixture::bootstrapServers);
 * }</pre>
 * The broker is shared by every test in the JVM, so a test must tell its own events from earlier tests' events,
 * for example by deployment id.
 *
 * <p>Tests that stop and restart a broker use {@link #cluster()} instead: three nodes in this JVM, whatever
 * {@code KAFKA_BOOTSTRAP_SERVERS} says.
 */
public final class KafkaFixture {

    /** Where the broker comes from. */
    public enum Kind {
        /** Given by {@code KAFKA_BOOTSTRAP_SERVERS}. */
        EXTERNAL,
        /** A Testcontainers Kafka in Docker. */
        TESTCONTAINERS,
        /** A {@link KraftBroker} in this JVM. */
        EMBEDDED
    }

    static final String BOOTSTRAP_SERVERS_VARIABLE = "KAFKA_BOOTSTRAP_SERVERS";
    static final String IMAGE = "apache/kafka-native:4.1.2";

    private static final Logger log = LoggerFactory.getLogger(KafkaFixture.class);

    private static @Nullable Broker broker;
    private static @Nullable KraftCluster cluster;

    private KafkaFixture() {
    }

    /** The bootstrap servers of this JVM's broker, starting it if this is the first call. */
    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Which kind of broker {@link #bootstrapServers()} gives, starting it if this is the first call. */
    public static Kind kind() {
        return broker().kind();
    }

    /**
     * This JVM's cluster of three Kafka nodes, for tests that stop and restart a broker, started on first use and
     * stopped when the JVM exits. It always runs embedded, in this JVM, because a test cannot restart a broker
     * someone else runs: a broker named by {@code KAFKA_BOOTSTRAP_SERVERS} (or one in Docker) keeps serving
     * {@link #bootstrapServers()}, and tests that need the cluster still run, with it, on any machine.
     * <pre>{@code
     * KraftCluster kafka = KafkaFixture.cluster();
     * registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
     * ...
     * kafka.stopNode(2);
     * try {
     *     // the services keep working on nodes 1 and 3
     * }
     * finally {
     *     kafka.startNode(2);
     * }
     * }</pre>
     * The cluster is shared like the broker, and so are its nodes' states: a test that stops a node starts it again
     * before it ends, so the next test finds every node running.
     */
    public static synchronized KraftCluster cluster() {
        if (cluster == null) {
            KraftCluster started = KraftCluster.start();
            log.info("Tests that restart brokers use an embedded Kafka cluster of {} nodes at {}.", started.size(),
                    started.bootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-cluster-fixture-shutdown"));
            cluster = started;
        }
        return cluster;
    }

    private static synchronized Broker broker() {
        if (broker == null) {
            broker = start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker.stop(), "kafka-fixture-shutdown"));
        }
        return broker;
    }

    private static Broker start() {
        String external = external();
        return switch (choose(external, KafkaFixture::dockerAvailable)) {
            case EXTERNAL -> {
                log.info("Tests use the Kafka broker at {} given by {}.", external, BOOTSTRAP_SERVERS_VARIABLE);
                yield new Broker(Kind.EXTERNAL, external, () -> {
                });
            }
            case TESTCONTAINERS -> {
                KafkaContainer container = new KafkaContainer(IMAGE);
                container.start();
                log.info("Tests use a Kafka broker in Docker ({}) at {}.", IMAGE, container.getBootstrapServers());
                yield new Broker(Kind.TESTCONTAINERS, container.getBootstrapServers(), container::stop);
            }
            case EMBEDDED -> {
                KraftBroker embedded = KraftBroker.start();
                log.info("Tests use an embedded Kafka broker at {} (no {} and no Docker).", embedded.bootstrapServers(),
                        BOOTSTRAP_SERVERS_VARIABLE);
                yield new Broker(Kind.EMBEDDED, embedded.bootstrapServers(), embedded::close);
            }
        };
    }

    static Kind choose(@Nullable String external, BooleanSupplier dockerAvailable) {
        if (external != null) {
            return Kind.EXTERNAL;
        }
        return dockerAvailable.getAsBoolean() ? Kind.TESTCONTAINERS : Kind.EMBEDDED;
    }

    private static @Nullable String external() {
        String value = System.getProperty(BOOTSTRAP_SERVERS_VARIABLE, System.getenv(BOOTSTRAP_SERVERS_VARIABLE));
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * Asks Testcontainers only when there is a sign of Docker: without one it spends a while trying every strategy
     * and logs a long error, which would greet everyone who runs the tests on a machine without Docker.
     */
    private static boolean dockerAvailable() {
        if (!dockerHinted()) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError ex) {
            log.debug("Docker looked present but Testcontainers cannot use it: {}", ex.toString());
            return false;
        }
    }

    private static boolean dockerHinted() {
        if (System.getenv("DOCKER_HOST") != null || System.getenv("TESTCONTAINERS_HOST_OVERRIDE") != null) {
            return true;
        }
        Path home = Path.of(System.getProperty("user.home"));
        String runtimeDirectory = System.getenv("XDG_RUNTIME_DIR");
        return Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(home.resolve(".testcontainers.properties"))
                || Files.exists(home.resolve(".docker/run/docker.sock"))
                || Files.exists(home.resolve(".docker/desktop/docker.sock"))
                || Files.exists(home.resolve(".colima/default/docker.sock"))
                || Files.exists(home.resolve(".rd/docker.sock"))
                || runtimeDirectory != null && Files.exists(Path.of(runtimeDirectory, "docker.sock"));
    }

    private record Broker(Kind kind, String bootstrapServers, Runnable stop) {
    }
}
