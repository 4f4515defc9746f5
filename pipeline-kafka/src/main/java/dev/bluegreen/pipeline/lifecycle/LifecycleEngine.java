package dev.bluegreen.pipeline.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.FileSystemUtils;

import org.springframework.kafka.core.KafkaTemplate;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.lifecycle.AppState;

/**
 * Runs the service's Kafka Streams application over the lifecycle topic: it folds each owned app's events with the
 * shared state machine into a state store (in memory, backed by a compacted changelog topic, so the state outlives
 * the lifecycle topic's retention), tells the service's {@link LifecycleReactor} about every transition, and
 * publishes expiries when deadlines pass. The service's instances share one application id, so Kafka splits the
 * lifecycle partitions, and with them the apps, among the instances that run, and moves a dead instance's apps to
 * the others within the session timeout. Exactly-once processing keeps the store and the committed position in step.
 */
public final class LifecycleEngine implements SmartLifecycle {

    static final String STORE = "app-states";

    private static final Logger log = LoggerFactory.getLogger(LifecycleEngine.class);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** The consumer's setting (ConsumerConfig keeps its name package-private) for sending LeaveGroup on close. */
    static final String LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

    private final Map<String, Object> streamsSettings;
    private final FoldProcessor.Wiring wiring;
    private final boolean publishStates;
    private final Map<String, AppState> owned = new ConcurrentHashMap<>();
    private final Path stateDirectory;
    private final boolean ownsStateDirectory;
    private volatile KafkaStreams streams;

    /**
     * The engine of a service.
     *
     * @param applicationId the service's Kafka Streams application id
     * @param kafkaSettings how to reach Kafka (servers, security), and how to dead-letter what does not read
     * @param catalog the apps file: each app's initial live colour and deadlines
     * @param reactor what the service does
     * @param kafka publishes the expiries, from {@code source}
     */
    public static LifecycleEngine of(String applicationId, Map<String, Object> kafkaSettings,
            LifecycleProperties properties, AppCatalog catalog, LifecycleReactor reactor,
            KafkaTemplate<String, Envelope> kafka, String source) {
        Map<String, Object> settings = new HashMap<>(kafkaSettings);
        settings.putAll(defaults(applicationId, properties));
        FoldProcessor.ExpiryPublisher expiries = (deploymentId, expired) -> {
            Envelope envelope = Envelope.of(source, deploymentId, expired);
            kafka.send(envelope.topic(), expired.app(), envelope).whenComplete((sent, error) -> {
                if (error != null) {
                    log.error("Could not publish the expiry of deployment {} of {}: {}", deploymentId, expired.app(),
                            error.getMessage());
                }
            });
        };
        FoldProcessor.Wiring wiring = new FoldProcessor.Wiring(
                app -> catalog.find(app).map(AppSpec::initialLiveColour),
                app -> catalog.require(app).deadlines(), reactor, expiries, properties.tick(),
                properties.expiryGrace());
        return new LifecycleEngine(settings, properties, wiring);
    }

    LifecycleEngine(Map<String, Object> streamsSettings, LifecycleProperties properties, FoldProcessor.Wiring wiring) {
        this.wiring = wiring;
        this.publishStates = properties.publishStates();
        this.ownsStateDirectory = properties.stateDirectory() == null;
        this.stateDirectory = ownsStateDirectory ? temporaryDirectory() : properties.stateDirectory();
        Map<String, Object> settings = new HashMap<>(streamsSettings);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        this.streamsSettings = settings;
    }

    /** The state of an app this instance owns, as of the last event folded; empty for an app another one owns. */
    public Optional<AppState> state(String app) {
        return Optional.ofNullable(owned.get(app));
    }

    /** Whether this instance owns the app and has folded at least one of its events. */
    public boolean owns(String app) {
        return owned.containsKey(app);
    }

    /** The apps this instance owns and has folded an event of. */
    public java.util.Set<String> ownedApps() {
        return java.util.Set.copyOf(owned.keySet());
    }

    /** The Kafka Streams state, in its own words ({@code RUNNING}, {@code REBALANCING}, ...), or {@code STOPPED}. */
    public String streamState() {
        KafkaStreams current = streams;
        return current == null ? "STOPPED" : current.state().name();
    }

    /** Whether the stream runs: it has its partitions and reads them. */
    public boolean running() {
        KafkaStreams current = streams;
        return current != null && current.state() == KafkaStreams.State.RUNNING;
    }

    Topology topology() {
        Topology topology = new Topology();
        topology.addSource("lifecycle", Serdes.String().deserializer(), new BoundedEnvelopeDeserializer(),
                Topics.LIFECYCLE);
        topology.addProcessor("fold", () -> new FoldProcessor(wiring, owned), "lifecycle");
        topology.addStateStore(AppStateSerde.storeBuilder(STORE), "fold");
        if (publishStates) {
            topology.addSink("app-states", Topics.APP_STATES, Serdes.String().serializer(), new AppStateSerde(),
                    "fold");
        }
        return topology;
    }

    @Override
    public synchronized void start() {
        KafkaStreams started = new KafkaStreams(topology(), new StreamsConfig(streamsSettings));
        started.setUncaughtExceptionHandler(error -> {
            log.error("The lifecycle stream of {} hit an unexpected error; its thread is replaced and reads on "
                    + "from the last commit.", streamsSettings.get(StreamsConfig.APPLICATION_ID_CONFIG), error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        started.setStateListener((now, before) -> log.info("The lifecycle stream of {} went from {} to {}.",
                streamsSettings.get(StreamsConfig.APPLICATION_ID_CONFIG), before, now));
        started.start();
        streams = started;
    }

    @Override
    public synchronized void stop() {
        KafkaStreams running = streams;
        streams = null;
        if (running != null) {
            // leaves the group (see LEAVE_GROUP_ON_CLOSE), so another instance takes the apps over now rather than
            // after the session timeout
            running.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(CLOSE_TIMEOUT));
        }
        owned.clear();
        if (ownsStateDirectory) {
            FileSystemUtils.deleteRecursively(stateDirectory.toFile());
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** After the listeners and producers it publishes through have started, and stopped before them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("bluegreen-lifecycle-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not make a folder for the lifecycle stream's lock files", ex);
        }
    }

    /** Settings every lifecycle stream has, whatever the service. */
    static Map<String, Object> defaults(String applicationId, LifecycleProperties properties) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // an event is folded, and its transition handed on, as soon as it is read; commits follow every 100 ms
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // How long the stream thread waits for records before its loop goes round. Each step of taking partitions
        // over (restored, offsets looked up, running) waits for the next round: with Kafka Streams' 100 ms that was
        // about a second of every start and takeover. A poll returns as soon as records come, whatever this is.
        settings.put(StreamsConfig.POLL_MS_CONFIG, 20L);
        // The restore consumer takes a partition on only between two fetches, and a fetch of a changelog with
        // nothing more to read waits for the broker's fetch.max.wait (500 ms): at a start, the first task's restore
        // held the other eleven back that long. Changelogs are read at full speed whatever this is.
        settings.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 20);
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) properties.sessionTimeout().toMillis());
        // An instance hears that another left or died at its next heartbeat: a tenth of the session timeout, not
        // Kafka's third, so a takeover waits at most 1 s (of the default 10 s session) beyond the session itself
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) Math.max(300, properties.sessionTimeout().toMillis() / 10));
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // An instance that stops leaves the group, so another one takes its apps over at once, and a restarted one
        // does not wait for its former self's session to run out. Kafka Streams keeps its consumer in the group on
        // close (to spare a rebalance when it comes back), and CloseOptions.leaveGroup only removes static members.
        // The setting is the consumer's own, marked internal: LifecycleEngineTest fails if a Kafka upgrade drops it.
        settings.put(StreamsConfig.mainConsumerPrefix(LEAVE_GROUP_ON_CLOSE), true);
        // a new instance of a service takes its share of the apps over right away, not after a probing rebalance
        settings.put(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, Long.MAX_VALUE);
        if (properties.replication() != null) {
            settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.replication());
        }
        return settings;
    }
}
