package dev.bluegreen.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several Kafka nodes in this JVM, each a broker and a controller in one (KRaft combined mode), together one
 * cluster: every node is a voter of the controller quorum. Meant for tests that stop and restart a broker while
 * services keep working, on machines without Docker. Each node keeps its own free ports and temporary data directory
 * for the life of the cluster, so a stopped node comes back as itself.
 *
 * <p>With three nodes (the usual size) the cluster survives one node down, as a production cluster would: topics
 * created without settings get 3 replicas and {@code min.insync.replicas=2}, and so do the consumer offsets and
 * the transaction state, so {@code acks=all} writes, consumer groups and transactions (Kafka Streams exactly-once)
 * keep working. The internal topics are created before {@link #start(int)} returns, because a topic with 3 replicas
 * cannot be created while a node is down. Smaller clusters use as many replicas as there are nodes.
 *
 * <pre>{@code
 * try (KraftCluster kafka = KraftCluster.start(3)) {
 *     String bootstrap = kafka.bootstrapServers(); // "127.0.0.1:41001,127.0.0.1:41003,127.0.0.1:41005"
 *     kafka.stopNode(2);
 *     // ... clients keep working on nodes 1 and 3
 *     kafka.startNode(2);
 * }
 * }</pre>
 */
public final class KraftCluster implements AutoCloseable {

    public static final int DEFAULT_NODES = 3;

    private static final Logger log = LoggerFactory.getLogger(KraftCluster.class);

    private static final int MOST_REPLICAS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int ATTEMPTS_WITH_PICKED_PORTS = 3;
    private static final String WARM_UP_ID = "kraft-cluster-warm-up";

    private final Path directory;
    private final List<KraftNode> nodes;
    private final Admin admin;
    private boolean closed;

    /** Connects to nodes that run. */
    private KraftCluster(Path directory, List<KraftNode> nodes) {
        this.directory = directory;
        this.nodes = nodes;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "kraft-cluster-readiness"));
    }

    /** Starts a cluster of {@value #DEFAULT_NODES} nodes. */
    public static KraftCluster start() {
        return start(DEFAULT_NODES);
    }

    /**
     * Starts the nodes together (a node's broker waits for a majority of the controller quorum) and returns once
     * every broker accepts clients and the internal topics exist. The nodes are numbered from 1, as Kafka's node ids
     * are, so the leader a client sees is the node to {@link #stopNode(int)}.
     */
    public static KraftCluster start(int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("A Kafka cluster needs at least one node, not " + nodes);
        }
        long started = System.nanoTime();
        Path directory = KraftNode.createTemporaryDirectory("kraft-cluster-");
        KraftCluster cluster;
        try {
            cluster = new KraftCluster(directory, startWithRetries(directory, nodes));
        }
        catch (RuntimeException ex) {
            KraftNode.deleteRecursively(directory);
            throw ex;
        }
        try {
            cluster.awaitReady();
        }
        catch (RuntimeException ex) {
            cluster.close();
            throw ex;
        }
        log.info("Kafka cluster of {} nodes is up on {} after {} ms, keeping its data in {}.", nodes,
                cluster.bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), directory);
        return cluster;
    }

    private static List<KraftNode> startWithRetries(Path directory, int size) {
        for (int attempt = 1;; attempt++) {
            List<KraftNode> nodes = nodes(directory, size);
            try {
                startTogether(nodes);
                return nodes;
            }
            catch (PortInUseException ex) {
                inParallel(nodes, "stop", KraftNode::stop);
                KraftNode.deleteRecursively(directory);
                if (attempt == ATTEMPTS_WITH_PICKED_PORTS) {
                    throw ex;
                }
                log.debug("Port {} was taken before Kafka could bind it; trying other ports.", ex.port());
            }
            catch (RuntimeException ex) {
                inParallel(nodes, "stop", KraftNode::stop);
                throw ex;
            }
        }
    }

    private static List<KraftNode> nodes(Path directory, int size) {
        List<Integer> ports = KraftNode.freePorts(2 * size);
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(id -> KraftNode.voter(id, ports.get(2 * id - 1)))
                .collect(Collectors.joining(","));
        Map<String, String> settings = settings(size);
        List<KraftNode> nodes = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            nodes.add(new KraftNode(id, directory.resolve("node-" + id), ports.get(2 * id - 2), ports.get(2 * id - 1),
                    voters, settings));
        }
        return List.copyOf(nodes);
    }

    private static Map<String, String> settings(int size) {
        String replicas = String.valueOf(Math.min(MOST_REPLICAS, size));
        String minInSync = String.valueOf(Math.min(2, size));
        String internalPartitions = String.valueOf(size);
        return Map.ofEntries(
                Map.entry("default.replication.factor", replicas),
                Map.entry("min.insync.replicas", minInSync),
                // one partition per node, so the group and transaction coordinators are spread over the nodes
                Map.entry("offsets.topic.replication.factor", replicas),
                Map.entry("offsets.topic.num.partitions", internalPartitions),
                Map.entry("transaction.state.log.replication.factor", replicas),
                Map.entry("transaction.state.log.min.isr", minInSync),
                Map.entry("transaction.state.log.num.partitions", internalPartitions),
                Map.entry("share.coordinator.state.topic.replication.factor", replicas),
                Map.entry("share.coordinator.state.topic.min.isr", minInSync),
                // A stopped node hands nothing over, as a killed one would not (see stopNode).
                Map.entry("controlled.shutdown.enable", "false"),
                // A node that cannot reach a majority of the quorum fails to start instead of waiting for ever.
                Map.entry("server.max.startup.time.ms", String.valueOf(READY_TIMEOUT.toMillis())),
                // Several brokers share the test JVM's cores: fewer threads than even a single local broker has.
                Map.entry("num.network.threads", "1"),
                Map.entry("background.threads", "2"),
                Map.entry("num.recovery.threads.per.data.dir", "1"));
    }

    private static void startTogether(List<KraftNode> nodes) {
        String clusterId = Uuid.randomUuid().toString();
        nodes.forEach(node -> node.format(clusterId));
        // together: a node's startup returns only once a majority of the quorum runs (or gives up after
        // server.max.startup.time.ms)
        inParallel(nodes, "start", KraftNode::start);
    }

    private void awaitReady() {
        await("all " + nodes.size() + " Kafka brokers accept clients", () -> runningBrokers().size() == nodes.size());
        createInternalTopics();
    }

    private static void inParallel(List<KraftNode> nodes, String action, Consumer<KraftNode> task) {
        List<CompletableFuture<Void>> running = nodes.stream()
                .map(node -> CompletableFuture.runAsync(() -> task.accept(node), runnable -> {
                    Thread thread = new Thread(runnable, "kraft-cluster-" + action + "-" + node.id());
                    thread.setDaemon(true);
                    thread.start();
                }))
                .toList();
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw ex;
        }
    }

    /**
     * Asks for a group's offsets and a transaction's state, which makes the brokers create the consumer offsets and
     * transaction state topics now, while all nodes run, rather than when the first group or transactional producer
     * shows up, which may be while a node is down.
     */
    private void createInternalTopics() {
        await("the consumer offsets topic exists", () -> {
            admin.listConsumerGroupOffsets(WARM_UP_ID).partitionsToOffsetAndMetadata().get();
            return true;
        });
        await("the transaction state topic exists", () -> {
            try {
                admin.describeTransactions(List.of(WARM_UP_ID)).all().get();
                return true;
            }
            catch (ExecutionException ex) {
                if (ex.getCause() instanceof TransactionalIdNotFoundException) {
                    return true;
                }
                throw ex;
            }
        });
    }

    /** The client addresses of all nodes, such as {@code 127.0.0.1:41001,127.0.0.1:41003,127.0.0.1:41005}. */
    public String bootstrapServers() {
        return nodes.stream().map(KraftNode::address).collect(Collectors.joining(","));
    }

    /** How many nodes the cluster has, running or not. */
    public int size() {
        return nodes.size();
    }

    public boolean isRunning(int node) {
        return node(node).running();
    }

    /**
     * Stops a node abruptly and returns as soon as it is down, without waiting for the rest of the cluster to notice.
     * It comes as close to {@code kill -9} as a node in this JVM can:
     * <ul>
     * <li>like a kill: there is no controlled shutdown, so the partitions this node leads keep it as their leader
     * until the controller fences it, after {@code broker.session.timeout.ms} (9 s) without a heartbeat; clients
     * see their connections closed and wait for new leaders, as they would after a crash;</li>
     * <li>like a kill: the mark of a clean shutdown is removed, so the next {@link #startNode(int)} recovers the logs
     * and registers the node as one that crashed (which matters to eligible leader replicas);</li>
     * <li>unlike a kill: the node flushes its logs and checkpoints on the way down (a kill loses nothing either, as
     * long as the machine stays up, but leaves more to recover); and if it is the active controller, it resigns, so
     * the others elect a new one at once instead of after {@code controller.quorum.fetch.timeout.ms} (2 s).</li>
     * </ul>
     * With three nodes, stopping a second one leaves the controller quorum without a majority: nothing can be
     * written until one is back.
     *
     * @param node from 1 to {@link #size()}
     * @throws IllegalStateException if the node is stopped already
     */
    public void stopNode(int node) {
        KraftNode stopping = node(node);
        if (!stopping.running()) {
            throw new IllegalStateException("Kafka node " + node + " is stopped already");
        }
        stopping.stopAsIfCrashed();
        log.info("Kafka node {} on {} has stopped abruptly, as if killed.", node, stopping.address());
    }

    /**
     * Starts a stopped node again, with the ports and data it had, and returns once it is back in the in-sync
     * replicas of every partition it holds. Another node may then be stopped without any partition losing its
     * {@code min.insync.replicas}, as in a rolling restart.
     *
     * @param node from 1 to {@link #size()}
     * @throws PortInUseException if another process took one of the node's ports while it was stopped
     * @throws IllegalStateException if the node is running already
     */
    public void startNode(int node) {
        KraftNode starting = node(node);
        long started = System.nanoTime();
        starting.start();
        await("Kafka node " + node + " accepts clients", () -> runningBrokers().contains(node));
        await("Kafka node " + node + " is in sync with the other nodes", () -> inSyncEverywhere(node));
        log.info("Kafka node {} is back on {} and in sync after {} ms.", node, starting.address(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Stops every node and deletes the cluster's data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ZERO);
        // together, so that only the active controller waits the 5 s Kafka gives it to hand over to a successor,
        // which cannot come with the whole quorum going down
        inParallel(nodes, "stop", KraftNode::stop);
        KraftNode.deleteRecursively(directory);
        log.info("Kafka cluster on {} has stopped.", bootstrapServers());
    }

    private KraftNode node(int node) {
        if (node < 1 || node > nodes.size()) {
            throw new IllegalArgumentException("Kafka node must be between 1 and " + nodes.size() + ", not " + node);
        }
        return nodes.get(node - 1);
    }

    /** The ids of the brokers that the controller has let in (a stopped one stays until it is fenced). */
    private Set<Integer> runningBrokers() throws ExecutionException, InterruptedException {
        return admin.describeCluster().nodes().get().stream().map(Node::id).collect(Collectors.toSet());
    }

    private boolean inSyncEverywhere(int node) throws ExecutionException, InterruptedException {
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        return admin.describeTopics(names).allTopicNames().get().values().stream()
                .map(TopicDescription::partitions)
                .flatMap(List::stream)
                .filter(partition -> holds(partition.replicas(), node))
                .allMatch(partition -> holds(partition.isr(), node));
    }

    private static boolean holds(List<Node> replicas, int node) {
        return replicas.stream().anyMatch(replica -> replica.id() == node);
    }

    private void await(String what, Condition condition) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        @Nullable ExecutionException last = null;
        try {
            while (System.nanoTime() < deadline) {
                try {
                    if (condition.holds()) {
                        return;
                    }
                }
                catch (ExecutionException ex) {
                    last = ex;
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting until " + what, ex);
        }
        throw new IllegalStateException("Gave up after " + READY_TIMEOUT.toSeconds() + " s waiting until " + what,
                last);
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws ExecutionException, InterruptedException;
    }
}
