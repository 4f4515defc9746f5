package dev.bluegreen.monitor.bake;

import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.failing;
import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.ok;
import static dev.bluegreen.monitor.probing.DropletStandIn.stopsGrowing;
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

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.Topics;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.monitor.HealthMonitors;
import dev.bluegreen.monitor.Histories;
import dev.bluegreen.monitor.probing.DropletStandIn;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The bake watch as it runs: the apps' histories come through a real broker and the health-monitor's lifecycle
 * engine, the new live colour's droplets are real HTTP servers, and a rollback request goes into the app's history,
 * where the traffic-router would act on it.
 */
class BakeWatchTest {

    private static final DropletStandIn SOURING = DropletStandIn.answering(ok(), ok(), ok(), ok(),
            failing(503, "database unreachable\n"));
    private static final DropletStandIn STAYS_HEALTHY = DropletStandIn.answering(ok());
    private static final DropletStandIn SOURING_UNWATCHED = DropletStandIn.answering(ok(),
            failing(503, "database unreachable\n"));
    private static final DropletStandIn SOURING_TWICE_SEEN = DropletStandIn.answering(ok(),
            failing(500, "Internal Server Error"));
    private static final DropletStandIn ROLLED_BACK_BY_HAND = DropletStandIn.answering(ok());
    private static final DropletStandIn REDEPLOYED = DropletStandIn.answering(ok());
    private static final DropletStandIn LONG_AGO = DropletStandIn.answering(failing(503, "gone"));
    private static final List<DropletStandIn> DROPLETS = List.of(SOURING, STAYS_HEALTHY, SOURING_UNWATCHED,
            SOURING_TWICE_SEEN, ROLLED_BACK_BY_HAND, REDEPLOYED, LONG_AGO);
    private static final String NOWHERE = "http://127.0.0.1:9";

    private static ConfigurableApplicationContext healthMonitor;
    private static EventLog events;

    @BeforeAll
    static void startHealthMonitor() throws IOException {
        healthMonitor = HealthMonitors.start(appsFile());
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }

    @AfterAll
    static void stopEverything() {
        events.close();
        healthMonitor.close();
        DROPLETS.forEach(DropletStandIn::close);
    }

    @Test
    void aFailingBakeAsksOnceForARollbackOfItsDeploymentUnderAnIdOfItsOwn() {
        String deploymentId = Histories.switched(events, "souring", 1001);

        Envelope envelope = events.awaitEvent(RollbackRequested.class, reverting(deploymentId),
                Duration.ofSeconds(10));

        RollbackRequested rollback = envelope.dataAs(RollbackRequested.class);
        assertThat(envelope.source()).isEqualTo("health-monitor");
        assertThat(envelope.deploymentId()).startsWith("rollback-").isNotEqualTo(deploymentId);
        assertThat(rollback.app()).isEqualTo("souring");
        assertThat(rollback.requestedBy()).isEqualTo("health-monitor");
        assertThat(rollback.revertsDeployment()).isEqualTo(deploymentId);
        assertThat(rollback.reason())
                .matches("Droplet 1001 failed 3 health checks in a row within \\d+ s after traffic moved to green "
                        + "\\(bake period 5 s\\): 503 in \\d+ ms \\(database unreachable\\); 503 in \\d+ ms "
                        + "\\(database unreachable\\); 503 in \\d+ ms \\(database unreachable\\)");
        assertThat(SOURING.requests()).as("the droplet passed its first checks").isGreaterThanOrEqualTo(7);
        // the history took the request: that rollback is now under way, as the traffic-router sees it too
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(state("souring").current())
                .isNotNull()
                .extracting(Operation::id, Operation::kind)
                .containsExactly(envelope.deploymentId(), Operation.Kind.ROLLBACK));
        int probes = SOURING.requests();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .until(() -> rollbacksOf("souring") == 1 && SOURING.requests() == probes);
    }

    @Test
    void aColourThatStaysHealthyThroughItsBakeIsLeftAlone() {
        Histories.switched(events, "stays-healthy", 1101);

        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                .until(() -> rollbacksOf("stays-healthy") == 0);

        assertThat(STAYS_HEALTHY.requests()).as("probes during the 2 s bake").isGreaterThanOrEqualTo(5);
        assertThat(STAYS_HEALTHY.requestedPaths()).containsOnly("/healthz");
        await().atMost(Duration.ofSeconds(2)).until(STAYS_HEALTHY::requests, stopsGrowing());
    }

    @Test
    void withAutomaticRollbackOffAFailingColourIsNotRolledBack() {
        Histories.switched(events, "unwatched", 1201);

        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                .until(() -> rollbacksOf("unwatched") == 0);

        assertThat(SOURING_UNWATCHED.requests()).as("it was probed until it failed 3 in a row")
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void aSwitchSeenAgainDoesNotAskForASecondRollback() {
        String deploymentId = Histories.switched(events, "twice-seen", 1301);
        events.awaitEvent(RollbackRequested.class, reverting(deploymentId), Duration.ofSeconds(10));
        Envelope switched = events.events().stream()
                .filter(envelope -> deploymentId.equals(envelope.deploymentId())
                        && "TrafficSwitched".equals(envelope.type()))
                .findFirst().orElseThrow();
        int probes = SOURING_TWICE_SEEN.requests();

        events.publish(switched);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> rollbacksOf("twice-seen") == 1 && SOURING_TWICE_SEEN.requests() == probes);
    }

    @Test
    void aRollbackSomeoneAsksForEndsTheWatch() {
        Histories.switched(events, "by-hand", 1701);
        await().atMost(Duration.ofSeconds(10)).until(() -> ROLLED_BACK_BY_HAND.requests() >= 3);

        events.publish(Envelope.of("gateway", "rollback-" + UUID.randomUUID(),
                new RollbackRequested("by-hand", "alice", "the checkout page is slow")));

        await().atMost(Duration.ofSeconds(10)).until(ROLLED_BACK_BY_HAND::requests, stopsGrowing());
    }

    @Test
    void aNewDeploymentAcceptedDuringTheBakeEndsTheWatchAndNoRollbackIsAskedForAfterIt() {
        Histories.switched(events, "redeployed", 1501);
        await().atMost(Duration.ofSeconds(10)).until(() -> REDEPLOYED.requests() >= 3);

        Histories.deployRequested(events, "redeployed");

        await().atMost(Duration.ofSeconds(10)).until(REDEPLOYED::requests, stopsGrowing());
        REDEPLOYED.turn(failing(503, "database unreachable\n"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> rollbacksOf("redeployed") == 0);
    }

    @Test
    void aSwitchWhoseBakePeriodIsOverIsNotWatched() {
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(10));

        Histories.switched(events, "long-ago", longAgo, 1601);

        await().atMost(Duration.ofSeconds(10)).until(() -> engineHasBake("long-ago"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> rollbacksOf("long-ago") == 0);
        // at most the one probe of the health check, which the switch's history ended before its second
        assertThat(LONG_AGO.requests()).isLessThanOrEqualTo(1);
    }

    private static java.util.function.Predicate<Envelope> reverting(String deploymentId) {
        return envelope -> deploymentId.equals(envelope.dataAs(RollbackRequested.class).revertsDeployment());
    }

    private static long rollbacksOf(String app) {
        return events.events().stream()
                .filter(envelope -> envelope.data() instanceof RollbackRequested rollback
                        && rollback.app().equals(app) && "health-monitor".equals(rollback.requestedBy()))
                .count();
    }

    private static AppState state(String app) {
        return HealthMonitors.engine(healthMonitor).state(app).orElseThrow();
    }

    private static boolean engineHasBake(String app) {
        return HealthMonitors.engine(healthMonitor).state(app).map(AppState::bake).isPresent();
    }

    private static Path appsFile() throws IOException {
        Path file = Files.createTempFile("health-monitor-bake-apps", ".yml");
        file.toFile().deleteOnExit();
        Files.writeString(file, "bluegreen:\n  apps:\n"
                + app("souring", 1001, SOURING.url(), "period: 5s")
                + app("stays-healthy", 1101, STAYS_HEALTHY.url(), "period: 2s")
                + app("unwatched", 1201, SOURING_UNWATCHED.url(), "period: 2s, auto-rollback: false")
                + app("twice-seen", 1301, SOURING_TWICE_SEEN.url(), "period: 30s")
                + app("redeployed", 1501, REDEPLOYED.url(), "period: 30s")
                + app("by-hand", 1701, ROLLED_BACK_BY_HAND.url(), "period: 30s")
                + app("long-ago", 1601, LONG_AGO.url(), "period: 5m"));
        return file;
    }

    /**
     * An app with one blue droplet (numbered {@code greenId + 50}, answering nowhere) and one green, watched as
     * {@code bake} says. Its health check probes every 2 s, the default: the history these tests write ends the check
     * that a deployment's provisioning starts long before its second probe.
     */
    private static String app(String name, int greenId, String greenUrl, String bake) {
        return "    " + name + ":\n"
                + "      load-balancer-id: lb-" + name + "\n"
                + "      repository: https://git.example.com/" + name + ".git\n"
                + "      droplets:\n"
                + "        blue:\n"
                + "          - {id: " + (greenId + 50) + ", ssh: \"127.0.0.1:22\", http: \"" + NOWHERE + "\"}\n"
                + "        green:\n"
                + "          - {id: " + greenId + ", ssh: \"127.0.0.1:22\", http: \"" + greenUrl + "\"}\n"
                + "      health:\n"
                + "        timeout: 1s\n"
                + "        bake: {interval: 100ms, failures-in-a-row: 3, " + bake + "}\n";
    }
}
