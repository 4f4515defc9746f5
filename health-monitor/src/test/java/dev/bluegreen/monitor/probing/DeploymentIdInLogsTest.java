package dev.bluegreen.monitor.probing;

import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.Topics;
import dev.bluegreen.monitor.HealthMonitors;
import dev.bluegreen.monitor.Histories;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * A health check's probes run on WebClient's and Reactor's threads, and the lines it logs there name its deployment
 * as the lines logged on the lifecycle engine's stream thread do.
 */
class DeploymentIdInLogsTest {

    /** Kafka Streams names its threads {@code <application id>-<uuid>-StreamThread-<n>}. */
    private static final String STREAM_THREADS = "-StreamThread-";

    @TempDir
    Path folder;

    private final DropletStandIn droplet = DropletStandIn.answering(ok());
    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private final Logger monitorLogger = (Logger) LoggerFactory.getLogger("dev.bluegreen.monitor");
    private ConfigurableApplicationContext healthMonitor;
    private EventLog events;

    @AfterEach
    void stopEverything() {
        monitorLogger.detachAppender(logLines);
        if (events != null) {
            events.close();
        }
        if (healthMonitor != null) {
            healthMonitor.close();
        }
        droplet.close();
    }

    @Test
    void theLinesAHealthCheckLogsOnReactorThreadsCarryItsDeploymentId() throws IOException {
        healthMonitor = HealthMonitors.start(appsFile());
        // after the start: Spring Boot sets logging up afresh as it starts
        logLines.start();
        monitorLogger.addAppender(logLines);
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);

        String deploymentId = Histories.provisioned(events, "mdc-shop", 901);
        events.awaitEvent(EnvironmentHealthy.class, deploymentId);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.copyOf(logLines.list))
                .filteredOn(line -> line.getFormattedMessage().startsWith("mdc-shop's green droplets are healthy"))
                .singleElement()
                .satisfies(line -> assertThat(line.getThreadName()).doesNotContain(STREAM_THREADS)));
        assertThat(List.copyOf(logLines.list))
                .filteredOn(line -> line.getFormattedMessage().contains("mdc-shop"))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(line -> assertThat(line.getMDCPropertyMap())
                        .as("the MDC of \"%s\" on thread %s", line.getFormattedMessage(), line.getThreadName())
                        .containsEntry("deploymentId", deploymentId));
    }

    private Path appsFile() throws IOException {
        return Files.writeString(folder.resolve("bluegreen.yml"), """
                bluegreen:
                  apps:
                    mdc-shop:
                      load-balancer-id: lb-mdc-shop
                      repository: https://git.example.com/mdc-shop.git
                      droplets:
                        blue:
                          - {id: 900, ssh: "127.0.0.1:22", http: "http://127.0.0.1:9"}
                        green:
                          - {id: 901, ssh: "127.0.0.1:22", http: "%s"}
                      health:
                        path: /healthz
                        interval: 100ms
                        timeout: 2s
                        successes-in-a-row: 3
                        deadline: 10s
                """.formatted(droplet.url()));
    }
}
