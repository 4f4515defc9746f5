package dev.bluegreen.monitor.bake;

import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.failing;
import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.monitor.HealthMonitorApplication;
import dev.bluegreen.monitor.probing.DropletStandIn;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The bake watch as it runs: traffic switches arrive through a real broker, the new live colour's droplets are real
 * HTTP servers, and a rollback request is what the traffic-router would receive.
 */
class BakeWatchTest {

    private static final DropletStandIn SOURING = DropletStandIn.answering(ok(), ok(), ok(), ok(),
            failing(503, "database unreachable\n"));
    private static final DropletStandIn STAYS_HEALTHY = DropletStandIn.answering(ok());
    private static final DropletStandIn SOURING_UNWATCHED = DropletStandIn.answering(ok(),
            failing(503, "database unreachable\n"));
    private static final DropletStandIn SOURING_TWICE_SEEN = DropletStandIn.answering(ok(),
            failing(500, "Internal Server Error"));
    private static final DropletStandIn ROLLED_BACK_FROM = DropletStandIn.answering(ok());
    private static final DropletStandIn ROLLED_BACK_BY_HAND = DropletStandIn.answering(ok());
    private static final DropletStandIn FIRST_GREEN = DropletStandIn.answering(ok());
    private static final DropletStandIn THEN_BLUE = DropletStandIn.answering(ok());
    private static final DropletStandIn LONG_AGO = DropletStandIn.answering(failing(503, "gone"));
    private static final DropletStandIn LATER = DropletStandIn.answering(ok());
    private static final List<DropletStandIn> DROPLETS = List.of(SOURING, STAYS_HEALTHY, SOURING_UNWATCHED,
            SOURING_TWICE_SEEN, ROLLED_BACK_FROM, ROLLED_BACK_BY_HAND, FIRST_GREEN, THEN_BLUE, LONG_AGO, LATER);
    private static final String NOWHERE = "http://127.0.0.1:9";

    private static ConfigurableApplicationContext healthMonitor;
    private static EventLog events;

    /** Command-line arguments, as they are the only settings that outrank the service's own config file. */
    @BeforeAll
    static void startHealthMonitor() throws IOException {
        healthMonitor = HealthMonitorApplication.application().run(
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                "--bluegreen.config=" + appsFile(),
                "--server.port=0");
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.ROLLBACK_REQUESTS);
    }

    @AfterAll
    static void stopEverything() {
        events.close();
        healthMonitor.close();
        DROPLETS.forEach(DropletStandIn::close);
    }

    @Test
    void asksForARollbackWhenTheNewLiveColourFailsDuringItsBake() {
        String deploymentId = switched("souring", Colour.GREEN, 1001);

        Envelope envelope = events.awaitEvent(RollbackRequested.class, deploymentId, Duration.ofSeconds(5));

        RollbackRequested rollback = envelope.dataAs(RollbackRequested.class);
        assertThat(envelope.source()).isEqualTo("health-monitor");
        assertThat(rollback.app()).isEqualTo("souring");
        assertThat(rollback.requestedBy()).isEqualTo("health-monitor");
        assertThat(rollback.reason())
                .matches("Droplet 1001 failed 3 health checks in a row within \\d+ s after traffic moved to green "
                        + "\\(bake period 5 s\\): 503 in \\d+ ms \\(database unreachable\\); 503 in \\d+ ms "
                        + "\\(database unreachable\\); 503 in \\d+ ms \\(database unreachable\\)");
        assertThat(SOURING.requests()).as("the droplet passed its first checks").isGreaterThanOrEqualTo(7);
        int probes = SOURING.requests();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .until(() -> rollbacksOf(deploymentId) == 1 && SOURING.requests() == probes);
    }

    @Test
    void aColourThatStaysHealthyThroughItsBakeIsLeftAlone() {
        String deploymentId = switched("stays-healthy", Colour.GREEN, 1101);

        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                .until(() -> rollbacksOf(deploymentId) == 0);

        assertThat(STAYS_HEALTHY.requests()).as("probes during the 2 s bake").isGreaterThanOrEqualTo(5);
        assertThat(STAYS_HEALTHY.requestedPaths()).containsOnly("/healthz");
        int probes = STAYS_HEALTHY.requests();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> STAYS_HEALTHY.requests() == probes);
    }

    @Test
    void withAutomaticRollbackOffAFailingColourIsNotRolledBack() {
        String deploymentId = switched("unwatched", Colour.GREEN, 1201);

        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                .until(() -> rollbacksOf(deploymentId) == 0);

        assertThat(SOURING_UNWATCHED.requests()).as("it was probed until it failed 3 in a row")
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void aSwitchSeenAgainDoesNotAskForASecondRollback() {
        Envelope switchedEnvelope = switchEnvelope("twice-seen", Colour.GREEN, 1301);
        events.publish(switchedEnvelope);
        events.awaitEvent(RollbackRequested.class, switchedEnvelope.deploymentId(), Duration.ofSeconds(5));
        int probes = SOURING_TWICE_SEEN.requests();

        events.publish(switchedEnvelope);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> rollbacksOf(switchedEnvelope.deploymentId()) == 1
                        && SOURING_TWICE_SEEN.requests() == probes);
    }

    @Test
    void aRollbackEndsTheWatch() {
        switched("rolled-back", Colour.GREEN, 1401);
        await().atMost(Duration.ofSeconds(10)).until(() -> ROLLED_BACK_FROM.requests() >= 2);

        events.publish(Envelope.of("test", "rollback-" + UUID.randomUUID(),
                new RolledBack("rolled-back", Colour.GREEN, Colour.BLUE, List.of(1451L), 900)));

        await().atMost(Duration.ofSeconds(10)).until(ROLLED_BACK_FROM::requests, stopsGrowing());
    }

    @Test
    void aRollbackSomeoneAsksForEndsTheWatch() {
        switched("by-hand", Colour.GREEN, 1701);
        await().atMost(Duration.ofSeconds(10)).until(() -> ROLLED_BACK_BY_HAND.requests() >= 2);

        events.publish(Envelope.of("gateway", "rollback-" + UUID.randomUUID(),
                new RollbackRequested("by-hand", "alice", "the checkout page is slow")));

        await().atMost(Duration.ofSeconds(10)).until(ROLLED_BACK_BY_HAND::requests, stopsGrowing());
    }

    @Test
    void aNewerSwitchEndsTheWatchOfTheOlderOne() {
        switched("switched-again", Colour.GREEN, 1501);
        await().atMost(Duration.ofSeconds(10)).until(() -> FIRST_GREEN.requests() >= 2);

        switched("switched-again", Colour.BLUE, 1551);

        await().atMost(Duration.ofSeconds(10)).until(() -> THEN_BLUE.requests() >= 2);
        await().atMost(Duration.ofSeconds(10)).until(FIRST_GREEN::requests, stopsGrowing());
    }

    @Test
    void aSwitchWhoseBakePeriodIsOverIsNotWatched() {
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(10));
        events.publish(Envelope.of("test", "long-ago-" + UUID.randomUUID(),
                new TrafficSwitched("long-ago", Colour.BLUE, Colour.GREEN, List.of(1601L), 900), longAgo));
        // a later switch of the same app shows when the old one has been read
        switched("long-ago", Colour.BLUE, 1651);
        await().atMost(Duration.ofSeconds(10)).until(() -> LATER.requests() > 0);

        assertThat(LONG_AGO.requests()).isZero();
    }

    /** Holds when the count stayed the same for half a second, so that no probe was in flight. */
    private static java.util.function.Predicate<Integer> stopsGrowing() {
        int[] last = {-1};
        long[] since = {0};
        return count -> {
            long now = System.nanoTime();
            if (count != last[0]) {
                last[0] = count;
                since[0] = now;
                return false;
            }
            return now - since[0] >= Duration.ofMillis(500).toNanos();
        };
    }

    private static long rollbacksOf(String deploymentId) {
        return events.events().stream()
                .filter(envelope -> envelope.data() instanceof RollbackRequested
                        && deploymentId.equals(envelope.deploymentId()))
                .count();
    }

    private static String switched(String app, Colour to, long dropletId) {
        Envelope envelope = switchEnvelope(app, to, dropletId);
        events.publish(envelope);
        return envelope.deploymentId();
    }

    private static Envelope switchEnvelope(String app, Colour to, long dropletId) {
        return Envelope.of("traffic-router", app + "-" + UUID.randomUUID(),
                new TrafficSwitched(app, to.other(), to, List.of(dropletId), 900));
    }

    private static Path appsFile() throws IOException {
        Path file = Files.createTempFile("health-monitor-bake-apps", ".yml");
        file.toFile().deleteOnExit();
        Files.writeString(file, "bluegreen:\n  apps:\n"
                + app("souring", 1001, NOWHERE, SOURING.url(), "period: 5s")
                + app("stays-healthy", 1101, NOWHERE, STAYS_HEALTHY.url(), "period: 2s")
                + app("unwatched", 1201, NOWHERE, SOURING_UNWATCHED.url(), "period: 2s, auto-rollback: false")
                + app("twice-seen", 1301, NOWHERE, SOURING_TWICE_SEEN.url(), "period: 30s")
                + app("rolled-back", 1401, NOWHERE, ROLLED_BACK_FROM.url(), "period: 30s")
                + app("switched-again", 1501, THEN_BLUE.url(), FIRST_GREEN.url(), "period: 30s")
                + app("by-hand", 1701, NOWHERE, ROLLED_BACK_BY_HAND.url(), "period: 30s")
                + app("long-ago", 1601, LATER.url(), LONG_AGO.url(), "period: 5m"));
        return file;
    }

    /** An app with one blue droplet (numbered {@code greenId + 50}) and one green, watched as {@code bake} says. */
    private static String app(String name, int greenId, String blueUrl, String greenUrl, String bake) {
        return "    " + name + ":\n"
                + "      load-balancer-id: lb-" + name + "\n"
                + "      repository: https://git.example.com/" + name + ".git\n"
                + "      droplets:\n"
                + "        blue:\n"
                + "          - {id: " + (greenId + 50) + ", ssh: \"127.0.0.1:22\", http: \"" + blueUrl + "\"}\n"
                + "        green:\n"
                + "          - {id: " + greenId + ", ssh: \"127.0.0.1:22\", http: \"" + greenUrl + "\"}\n"
                + "      health:\n"
                + "        timeout: 1s\n"
                + "        bake: {interval: 100ms, failures-in-a-row: 3, " + bake + "}\n";
    }
}
