package dev.bluegreen.monitor.bake;

import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.failing;
import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.Topics;
import dev.bluegreen.monitor.HealthMonitors;
import dev.bluegreen.monitor.Histories;
import dev.bluegreen.monitor.probing.DropletStandIn;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * A health-monitor that stops in the middle of a bake, and one that takes the app over: the app's state, restored by
 * its lifecycle engine, says what is left to watch.
 */
class BakeAfterRestartTest {

    private static final DropletStandIn GREEN = DropletStandIn.answering(ok());

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
        GREEN.close();
    }

    @Test
    void aWatchCutShortByARestartResumesAndItsShutdownAsksForNothing() {
        String deploymentId;
        try (ConfigurableApplicationContext first = HealthMonitors.start(appsFile)) {
            deploymentId = Histories.switched(events, "restarted", 1801);
            await().atMost(Duration.ofSeconds(30)).until(() -> GREEN.requests() >= 3);
        }
        int probesBeforeRestart = GREEN.requests();
        GREEN.turn(failing(503, "out of memory"));

        try (ConfigurableApplicationContext second = HealthMonitors.start(appsFile)) {
            Envelope rollback = events.awaitEvent(RollbackRequested.class,
                    envelope -> deploymentId.equals(envelope.dataAs(RollbackRequested.class).revertsDeployment()),
                    Duration.ofSeconds(30));

            assertThat(rollback.deploymentId()).isNotEqualTo(deploymentId);
            assertThat(rollback.dataAs(RollbackRequested.class).reason())
                    .startsWith("Droplet 1801 failed 3 health checks in a row within ")
                    .endsWith("(out of memory)");
        }
        assertThat(probesBeforeRestart).isGreaterThanOrEqualTo(3);
        assertThat(events.events()).filteredOn(envelope -> envelope.data() instanceof RollbackRequested rollback
                && rollback.app().equals("restarted"))
                .as("one rollback request, and none from the first monitor's shutdown").hasSize(1);
    }

    private static Path appsFile() throws IOException {
        Path file = Files.createTempFile("health-monitor-restart-apps", ".yml");
        file.toFile().deleteOnExit();
        Files.writeString(file, "bluegreen:\n  apps:\n"
                + "    restarted:\n"
                + "      load-balancer-id: lb-restarted\n"
                + "      repository: https://git.example.com/restarted.git\n"
                + "      droplets:\n"
                + "        blue:\n"
                + "          - {id: 1851, ssh: \"127.0.0.1:22\", http: \"http://127.0.0.1:9\"}\n"
                + "        green:\n"
                + "          - {id: 1801, ssh: \"127.0.0.1:22\", http: \"" + GREEN.url() + "\"}\n"
                + "      health:\n"
                + "        timeout: 1s\n"
                + "        bake: {period: 60s, interval: 100ms, failures-in-a-row: 3}\n");
        return file;
    }
}
