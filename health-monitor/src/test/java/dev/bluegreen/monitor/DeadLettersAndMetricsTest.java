package dev.bluegreen.monitor;

import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.failing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Topics;
import dev.bluegreen.monitor.probing.DropletStandIn;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The health-monitor with what every service gets from pipeline-kafka: garbage on the lifecycle topic goes to its
 * dead-letter topic while the lifecycle engine carries on; and its actuator shows its readiness and what it published.
 */
class DeadLettersAndMetricsTest {

    private static final DropletStandIn BROKEN = DropletStandIn.answering(failing(503, "database unreachable\n"));

    private static ConfigurableApplicationContext healthMonitor;
    private static EventLog events;
    private static EventLog deadLetters;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startHealthMonitor() throws IOException {
        healthMonitor = HealthMonitors.start(appsFile());
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
        deadLetters = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE + ".DLT");
    }

    @AfterAll
    static void stopEverything() {
        deadLetters.close();
        events.close();
        healthMonitor.close();
        BROKEN.close();
    }

    @Test
    void garbageOnTheLifecycleTopicIsDeadLetteredAndTheNextDeploymentIsStillChecked() throws Exception {
        String garbage = "{garbage " + UUID.randomUUID() + "}";
        events.publishRaw(Topics.LIFECYCLE, "unwell", garbage.getBytes(StandardCharsets.UTF_8));

        String deploymentId = Histories.provisioned(events, "unwell", 901);

        events.awaitEvent(EnvironmentUnhealthy.class, deploymentId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("/actuator/prometheus").body())
                .contains("bluegreen_dead_letters_total{topic=\"bluegreen.lifecycle\"}",
                        "bluegreen_deployments_total{app=\"unwell\",outcome=\"unhealthy\"}"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetters.unreadable())
                .filteredOn(record -> record.text().equals(garbage))
                .extracting(EventLog.Unreadable::topic)
                .containsExactly(Topics.LIFECYCLE + ".DLT"));
    }

    @Test
    void itSaysItIsReadyAndAlive() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        HttpResponse<String> liveness = get("/actuator/health/liveness");

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
        assertThat(liveness.statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        String port = healthMonitor.getEnvironment().getProperty("local.server.port");
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Path appsFile() throws IOException {
        Path file = Files.createTempFile("health-monitor-apps", ".yml");
        file.toFile().deleteOnExit();
        Files.writeString(file, """
                bluegreen:
                  apps:
                    unwell:
                      load-balancer-id: lb-unwell
                      repository: https://git.example.com/unwell.git
                      droplets:
                        blue:
                          - {id: 951, ssh: "127.0.0.1:22", http: "http://127.0.0.1:9"}
                        green:
                          - {id: 901, ssh: "127.0.0.1:22", http: "%s"}
                      health:
                        interval: 100ms
                        timeout: 200ms
                        deadline: 1s
                """.formatted(BROKEN.url()));
        return file;
    }
}
