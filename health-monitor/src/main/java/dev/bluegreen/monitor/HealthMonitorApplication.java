package dev.bluegreen.monitor;

import java.time.Clock;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import dev.bluegreen.events.Topics;

/**
 * Probes a freshly provisioned colour directly, droplet by droplet, and says whether it is healthy; after traffic
 * moved to it, watches it through its bake period and asks for a rollback if it goes bad.
 */
@SpringBootApplication
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

    /**
     * A listener failure is retried twice, a second apart, then logged and skipped; a record that does not
     * deserialize is skipped at once. This is where a dead-letter recoverer plugs in.
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler() {
        return new DefaultErrorHandler(new FixedBackOff(1000, 2));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    NewTopic provisioningTopic() {
        return TopicBuilder.name(Topics.PROVISIONING).build();
    }

    @Bean
    NewTopic healthTopic() {
        return TopicBuilder.name(Topics.HEALTH).build();
    }

    @Bean
    NewTopic trafficTopic() {
        return TopicBuilder.name(Topics.TRAFFIC).build();
    }

    @Bean
    NewTopic rollbackRequestsTopic() {
        return TopicBuilder.name(Topics.ROLLBACK_REQUESTS).build();
    }
}
