package dev.bluegreen.pipeline;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.pipeline.lifecycle.LifecycleEngine;
import dev.bluegreen.pipeline.lifecycle.LifecycleHealth;
import dev.bluegreen.pipeline.lifecycle.LifecycleProperties;
import dev.bluegreen.pipeline.lifecycle.LifecycleReactor;

/**
 * A service that reacts to the apps' lifecycles (it has a {@link LifecycleReactor}) gets the {@link LifecycleEngine}
 * that folds them, connected as the service's other Kafka clients are (servers and security from
 * {@code spring.kafka.*}), and dead-lettering what it cannot read.
 */
@AutoConfiguration(after = PipelineKafkaAutoConfiguration.class)
@ConditionalOnBean(LifecycleReactor.class)
@EnableConfigurationProperties(LifecycleProperties.class)
public class LifecycleAutoConfiguration {

    @Bean
    LifecycleEngine lifecycleEngine(LifecycleProperties properties, KafkaProperties kafka, Environment environment,
            AppCatalog catalog, LifecycleReactor reactor, KafkaTemplate<String, Envelope> template,
            DeadLetterPublisher deadLetters) {
        String service = environment.getProperty("spring.application.name", "bluegreen");
        String applicationId = properties.applicationId() != null ? properties.applicationId() : service;
        Map<String, Object> settings = new HashMap<>(kafka.buildStreamsProperties());
        settings.putAll(StreamsDeadLetters.settings(deadLetters));
        return LifecycleEngine.of(applicationId, settings, properties, catalog, reactor, template, service);
    }

    /** Named {@code lifecycle} in {@code /actuator/health}, and part of the readiness group (see PipelineDefaults). */
    @Bean
    LifecycleHealth lifecycleHealthIndicator(LifecycleEngine engine) {
        return new LifecycleHealth(engine);
    }
}
