package dev.bluegreen.monitor;

import java.time.Clock;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.bluegreen.probe.HealthProbe;

/**
 * Probes a freshly provisioned colour directly, droplet by droplet, and says whether it is healthy; after traffic
 * moved to it, watches it through its bake period and asks for a rollback if it goes bad.
 */
@SpringBootApplication
// the probe lives in its own library, which no scan reaches: the monitor asks for it by name
@Import(HealthProbe.class)
public class HealthMonitorApplication {

    /** The service's name: its config file, its consumer group and the source of the events it publishes. */
    public static final String NAME = "health-monitor";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(HealthMonitorApplication.class).main(HealthMonitorApplication.class)
                .properties("spring.config.name=" + NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
