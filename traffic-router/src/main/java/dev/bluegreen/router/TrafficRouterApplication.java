package dev.bluegreen.router;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import dev.bluegreen.events.Topics;

/** Moves an app's load balancer to the healthy colour, and back on rollback, through the DigitalOcean API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TrafficRouterApplication {

    /** The service's name: its config file, its consumer group and the source of the events it publishes. */
    public static final String NAME = "traffic-router";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(TrafficRouterApplication.class).main(TrafficRouterApplication.class)
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
    NewTopic healthTopic() {
        return TopicBuilder.name(Topics.HEALTH).build();
    }

    @Bean
    NewTopic rollbackRequestsTopic() {
        return TopicBuilder.name(Topics.ROLLBACK_REQUESTS).build();
    }

    @Bean
    NewTopic promoteRequestsTopic() {
        return TopicBuilder.name(Topics.PROMOTE_REQUESTS).build();
    }

    @Bean
    NewTopic trafficTopic() {
        return TopicBuilder.name(Topics.TRAFFIC).build();
    }
}
