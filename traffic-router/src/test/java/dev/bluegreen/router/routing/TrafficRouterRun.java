package dev.bluegreen.router.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.Topics;
import dev.bluegreen.router.TrafficRouterApplication;
import dev.bluegreen.router.digitalocean.RecordingProxy;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanApiServer;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The traffic-router as it runs, started the way the local stack starts it, talking through a {@link RecordingProxy}
 * to a simulated DigitalOcean, with an {@link EventLog} of what it publishes.
 */
final class TrafficRouterRun implements AutoCloseable {

    /** The token the simulated DigitalOcean accepts. */
    static final String API_TOKEN = "dop_v1_" + UUID.randomUUID().toString().replace("-", "");

    private final DigitalOceanApiServer api;
    private final RecordingProxy proxy;
    private final EventLog events;
    private final ConfigurableApplicationContext router;

    private TrafficRouterRun(DigitalOceanSimulator simulator, String routerToken, TestApp... apps) {
        api = DigitalOceanApiServer.start(simulator, API_TOKEN, 0);
        proxy = new RecordingProxy(api.baseUrl(), simulator);
        // command-line arguments: the only settings that outrank the service's own config file
        router = TrafficRouterApplication.application().run(
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                "--bluegreen.config=" + appsFile(apps),
                "--bluegreen.digitalocean.api-url=" + proxy.url(),
                "--bluegreen.digitalocean.token=" + routerToken,
                "--server.port=0");
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.TRAFFIC);
    }

    static TrafficRouterRun start(DigitalOceanSimulator simulator, String routerToken, TestApp... apps) {
        return new TrafficRouterRun(simulator, routerToken, apps);
    }

    RecordingProxy proxy() {
        return proxy;
    }

    /** Publishes the event in a new deployment, and returns its id. */
    String publish(PipelineEvent event) {
        String deploymentId = event.app() + "-" + UUID.randomUUID();
        events.publish(Envelope.of("test", deploymentId, event));
        return deploymentId;
    }

    /** The traffic-router's answer in the deployment. */
    Envelope awaitAnswer(Class<? extends PipelineEvent> eventClass, String deploymentId) {
        return events.awaitEvent(eventClass, deploymentId);
    }

    private static Path appsFile(TestApp... apps) {
        try {
            Path file = Files.createTempFile("traffic-router-apps", ".yml");
            file.toFile().deleteOnExit();
            Files.writeString(file, "bluegreen:\n  apps:\n"
                    + Arrays.stream(apps).map(TestApp::yaml).collect(Collectors.joining()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        events.close();
        router.close();
        proxy.close();
        api.close();
    }
}
