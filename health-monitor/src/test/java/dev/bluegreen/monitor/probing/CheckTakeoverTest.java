package dev.bluegreen.monitor.probing;

import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.failing;
import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.ok;
import static dev.bluegreen.monitor.probing.DropletStandIn.stopsGrowing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.Topics;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.monitor.HealthMonitors;
import dev.bluegreen.monitor.Histories;
import dev.bluegreen.pipeline.lifecycle.LifecycleReactor;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * Health checks whose instance stops midway, and the instance that takes the apps over: it checks each colour again
 * from scratch, as the probes only read, and its verdicts end the deployments.
 */
class CheckTakeoverTest {

    private static final DropletStandIn STARTING_SLOWLY = DropletStandIn.answering(failing(503, "warming up\n"));
    private static final DropletStandIn ALSO_STARTING_SLOWLY = DropletStandIn.answering(failing(503, "warming up\n"));
    private static final DropletStandIn ADOPTED = DropletStandIn.answering(ok());

    private static Path appsFile;
    private static EventLog events;

    @BeforeAll
    static void openEventLog() throws IOException {
        appsFile = appsFile();
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }

    @AfterAll
    static void closeEverything() {
        events.close();
        STARTING_SLOWLY.close();
        ALSO_STARTING_SLOWLY.close();
        ADOPTED.close();
    }

    @Test
    void checksCutShortByARestartStartAgainFromScratchOnTheInstanceThatTakesTheAppsOver() {
        String first;
        String second;
        try (ConfigurableApplicationContext stopping = HealthMonitors.start(appsFile)) {
            first = Histories.provisioned(events, "taken-over", 2001);
            second = Histories.provisioned(events, "taken-over-too", 2201);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> STARTING_SLOWLY.requests() >= 2 && ALSO_STARTING_SLOWLY.requests() >= 2);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> STARTING_SLOWLY.requests() + ALSO_STARTING_SLOWLY.requests(), stopsGrowing());
        STARTING_SLOWLY.turn(ok());
        ALSO_STARTING_SLOWLY.turn(ok());

        try (ConfigurableApplicationContext takingOver = HealthMonitors.start(appsFile)) {
            for (String deploymentId : List.of(first, second)) {
                EnvironmentHealthy healthy = events.awaitEvent(EnvironmentHealthy.class, deploymentId)
                        .dataAs(EnvironmentHealthy.class);

                assertThat(healthy.droplets()).singleElement().satisfies(droplet -> {
                    assertThat(droplet.healthy()).isTrue();
                    assertThat(droplet.probes()).as("the probes of the second check alone").isEqualTo(3);
                });
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    HealthMonitors.engine(takingOver).state("taken-over").orElseThrow().phase())
                    .isEqualTo(Phase.SWITCHING));
        }
        assertThat(verdictsOf(first)).as("the first monitor's shutdown said nothing").hasSize(1);
        assertThat(verdictsOf(second)).as("the first monitor's shutdown said nothing").hasSize(1);
    }

    @Test
    void anInstanceThatOwnsAnAppInCheckingChecksItsColourFromScratch() {
        String deploymentId = "adopted-" + UUID.randomUUID();
        AppState checking = AppState.initial("adopted", Colour.BLUE)
                .apply(Envelope.of("gateway", deploymentId, new DeployRequested("adopted", "v7", null, "ci")))
                .after()
                .apply(Envelope.of("deploy-agent", deploymentId, new EnvironmentProvisioned("adopted", Colour.GREEN,
                        "v7", "7e57ab1", List.of(2101L), 900)))
                .after();
        assertThat(checking.phase()).isEqualTo(Phase.CHECKING);

        try (ConfigurableApplicationContext healthMonitor = HealthMonitors.start(appsFile)) {
            healthMonitor.getBean(LifecycleReactor.class).onOwned(checking);

            EnvironmentHealthy healthy = events.awaitEvent(EnvironmentHealthy.class, deploymentId)
                    .dataAs(EnvironmentHealthy.class);

            assertThat(healthy.colour()).isEqualTo(Colour.GREEN);
            assertThat(healthy.ref()).isEqualTo("v7");
            assertThat(healthy.commit()).isEqualTo("7e57ab1");
            assertThat(healthy.droplets()).singleElement().satisfies(droplet -> assertThat(droplet.probes())
                    .isEqualTo(3));
            assertThat(ADOPTED.requestedPaths()).containsExactly("/healthz", "/healthz", "/healthz");
        }
    }

    private static List<Envelope> verdictsOf(String deploymentId) {
        return events.events().stream()
                .filter(envelope -> deploymentId.equals(envelope.deploymentId()))
                .filter(envelope -> envelope.data() instanceof EnvironmentHealthy
                        || envelope.data() instanceof EnvironmentUnhealthy)
                .toList();
    }

    private static Path appsFile() throws IOException {
        Path file = Files.createTempFile("health-monitor-takeover-apps", ".yml");
        file.toFile().deleteOnExit();
        Files.writeString(file, "bluegreen:\n  apps:\n"
                + app("taken-over", 2001, STARTING_SLOWLY.url())
                + app("taken-over-too", 2201, ALSO_STARTING_SLOWLY.url())
                + app("adopted", 2101, ADOPTED.url()));
        return file;
    }

    /** An app whose green droplet answers at {@code url}; a check of it may take 30 s. */
    private static String app(String name, int greenId, String url) {
        return "    " + name + ":\n"
                + "      load-balancer-id: lb-" + name + "\n"
                + "      repository: https://git.example.com/" + name + ".git\n"
                + "      droplets:\n"
                + "        blue:\n"
                + "          - {id: " + (greenId + 50) + ", ssh: \"127.0.0.1:22\", http: \"http://127.0.0.1:9\"}\n"
                + "        green:\n"
                + "          - {id: " + greenId + ", ssh: \"127.0.0.1:22\", http: \"" + url + "\"}\n"
                + "      health:\n"
                + "        interval: 100ms\n"
                + "        timeout: 1s\n"
                + "        successes-in-a-row: 3\n"
                + "        deadline: 30s\n";
    }
}
