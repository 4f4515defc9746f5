package dev.bluegreen.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Topics;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/** A deployment can be followed through the agent's logs, and its outcome shows in the agent's metrics. */
class DeploymentIdInLogsTest {

    @TempDir
    Path folder;

    private Sandbox sandbox;
    private ConfigurableApplicationContext agent;
    private EventLog events;
    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private final Logger deploymentLogger = (Logger) LoggerFactory.getLogger("dev.bluegreen.agent.deployment");

    @AfterEach
    void stopEverything() {
        deploymentLogger.detachAppender(logLines);
        if (agent != null) {
            agent.close();
        }
        if (events != null) {
            events.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void theAgentsLogLinesAboutADeploymentCarryItsIdAndPrometheusCountsItsOutcome() throws Exception {
        String app = "logged-" + UUID.randomUUID().toString().substring(0, 8);
        sandbox = Sandbox.start(SandboxSettings.defaults().withAppName(app).withWorkFolder(folder.resolve("sandbox")));
        agent = DeployAgentApplication.application()
                .properties("bluegreen.config=" + sandbox.writeAppsFile(folder.resolve("bluegreen.yml")),
                        "KAFKA_BOOTSTRAP_SERVERS=" + KafkaFixture.bootstrapServers(), "DEPLOY_AGENT_PORT=0",
                        "spring.main.banner-mode=off")
                .run();
        // after the start: Spring Boot sets logging up afresh as it starts
        logLines.start();
        deploymentLogger.addAppender(logLines);
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
        String deploymentId = UUID.randomUUID().toString();

        events.publish(Envelope.of("test", deploymentId, new DeployRequested(app, "v2", null, "a test")));
        events.awaitEvent(EnvironmentProvisioned.class, deploymentId);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.copyOf(logLines.list))
                .filteredOn(line -> line.getFormattedMessage().startsWith("Provisioned "))
                .filteredOn(line -> line.getFormattedMessage().contains(deploymentId))
                .singleElement()
                .satisfies(line -> assertThat(line.getThreadName()).startsWith("deployment-"))
                .satisfies(line -> assertThat(line.getMDCPropertyMap()).containsEntry("deploymentId", deploymentId)));
        String port = agent.getEnvironment().getProperty("local.server.port");
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("bluegreen_deployments_total{app=\"" + app + "\",outcome=\"provisioned\"} 1",
                "bluegreen_provisioning_duration_seconds_count{app=\"" + app + "\"} 1");
    }
}
