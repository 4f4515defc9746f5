package dev.bluegreen.monitor;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.pipeline.lifecycle.LifecycleEngine;
import dev.bluegreen.testing.KafkaFixture;

/** Health-monitors started as the local stack starts them, on the tests' broker. */
public final class HealthMonitors {

    private HealthMonitors() {
    }

    /**
     * Starts a health-monitor with the apps in {@code appsFile} and waits until it follows their histories: a
     * deployment's deadline counts from when its event was published, so the tests' clocks start once it reads.
     * Command-line arguments, as they are the only settings that outrank the service's own config file.
     */
    public static ConfigurableApplicationContext start(Path appsFile) {
        ConfigurableApplicationContext healthMonitor = HealthMonitorApplication.application().run(
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                "--bluegreen.config=" + appsFile,
                "--server.port=0");
        await().atMost(Duration.ofSeconds(60)).until(() -> engine(healthMonitor).running());
        return healthMonitor;
    }

    public static LifecycleEngine engine(ConfigurableApplicationContext healthMonitor) {
        return healthMonitor.getBean(LifecycleEngine.class);
    }
}
