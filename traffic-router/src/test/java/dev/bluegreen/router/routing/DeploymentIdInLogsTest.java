package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

/**
 * A switch runs on Reactor's threads (WebClient, reactor-netty, the drain's timer, the Kafka producer's callback),
 * and its log lines there name its deployment as the lifecycle engine's own do.
 */
class DeploymentIdInLogsTest {

    /** Kafka Streams names its threads {@code <application id>-<uuid>-StreamThread-<n>}. */
    private static final String ENGINE_THREADS = "-StreamThread-";

    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    // a drain, so the outcome is published from a timer on Reactor's parallel scheduler
    private final TestApp app = TestApp.create(simulator, "mdc-shop", BLUE)
            .withRouting("{drain-period: 300ms, settle-timeout: 5s}");
    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private final Logger routerLogger = (Logger) LoggerFactory.getLogger("dev.bluegreen.router");
    private TrafficRouterRun router;

    @AfterEach
    void stop() {
        routerLogger.detachAppender(logLines);
        if (router != null) {
            router.close();
        }
    }

    @Test
    void theLinesASwitchLogsOnReactorThreadsCarryItsDeploymentId() {
        router = TrafficRouterRun.start(simulator, TrafficRouterRun.API_TOKEN, app);
        // after the start: Spring Boot sets logging up afresh as it starts
        logLines.start();
        routerLogger.addAppender(logLines);

        String deploymentId = router.deployUntilHealthy(app, GREEN);
        router.awaitAnswer(TrafficSwitched.class, deploymentId);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.copyOf(logLines.list))
                .filteredOn(line -> line.getFormattedMessage().contains(app.name()))
                .filteredOn(line -> !line.getThreadName().contains(ENGINE_THREADS))
                .extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(message -> message.startsWith("mdc-shop's blue colour is out of traffic"))
                .anyMatch(message -> message.startsWith("mdc-shop's traffic moved from blue to green")));
        assertThat(List.copyOf(logLines.list))
                .filteredOn(line -> line.getFormattedMessage().contains(app.name()))
                .allSatisfy(line -> assertThat(line.getMDCPropertyMap())
                        .as("the MDC of \"%s\" on thread %s", line.getFormattedMessage(), line.getThreadName())
                        .containsEntry("deploymentId", deploymentId));
    }
}
