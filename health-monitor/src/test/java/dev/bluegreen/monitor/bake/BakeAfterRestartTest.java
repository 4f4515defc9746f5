package dev.bluegreen.monitor.bake;

import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.failing;
import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.ok;
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
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.monitor.HealthMonitorApplication;
import dev.bluegreen.monitor.probing.DropletStandIn;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/** A health-monitor that stops in the middle of a bake, and starts again. */
class BakeAfterRestartTest {

    private static final DropletStandIn GREEN = DropletStandIn.answering(ok());

    private static Path appsFile;
    private static EventLog events;

    @BeforeAll
    static void openEventLog() throws IOException {
        appsFile = appsFile();
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.ROLLBACK_REQUESTS);
    }

    @AfterAll
    static void closeEverything() {
        events.close();
        GREEN.close();
    }

    @Test
    void aWatchCutShortByARestartResumesAndItsShutdownAsksForNothing() {
        String deploymentId = "restarted-" + UUID.randomUUID();
        try (ConfigurableApplicationContext first = start()) {
            events.publish(Envelope.of("traffic-router", deploymentId,
                    new TrafficSwitched("restarted", Colour.BLUE, Colour.GREEN, List.of(1801L), 900)));
            await().atMost(Duration.ofSeconds(30)).until(() -> GREEN.requests() >= 2);
        }
        int probesBeforeRestart = GREEN.requests();
        GREEN.turn(failing(503, "out of memory"));

        try (ConfigurableApplicationContext second = start()) {
            Envelope rollback = events.awaitEvent(RollbackRequested.class, deploymentId, Duration.ofSeconds(30));

            assertThat(rollback.dataAs(RollbackRequested.class).reason())
                    .startsWith("Droplet 1801 failed 3 health checks in a row within ")
                    .endsWith("(out of memory)");
        }
        assertThat(probesBeforeRestart).isGreaterThanOrEqualTo(2);
        assertThat(events.events()).filteredOn(envelope -> deploymentId.equals(envelope.deploymentId()))
                .as("one rollback request, and none from the first monitor's shutdown").hasSize(1);
    }

    private static ConfigurableApplicationContext start() {
        return HealthMonitorApplication.application().run(
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                "--bluegreen.config=" + appsFile,
                "--server.port=0");
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
