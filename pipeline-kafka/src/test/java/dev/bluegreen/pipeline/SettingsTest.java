package dev.bluegreen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/** Production's Kafka settings reach every client a service makes, and topics get the partitions asked for. */
class SettingsTest {

    private final ApplicationContextRunner services = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, PipelineKafkaAutoConfiguration.class))
            .withPropertyValues("spring.kafka.admin.auto-create=false");

    @Test
    void saslAndSslFromTheEnvironmentReachTheConsumersTheProducersTheAdminAndTheDeadLetterProducer() {
        Map<String, Object> environment = Map.of(
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka-1.example.com:9093",
                "SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bluegreen\" "
                        + "password=\"s3cret\";");
        services.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        environment)))
                .run(context -> {
                    Map<String, Object> expected = Map.of(
                            "bootstrap.servers", java.util.List.of("kafka-1.example.com:9093"),
                            "security.protocol", "SASL_SSL",
                            "sasl.mechanism", "SCRAM-SHA-512",
                            "sasl.jaas.config", environment.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"));
                    assertThat(context.getBean(ConsumerFactory.class).getConfigurationProperties())
                            .containsAllEntriesOf(expected);
                    assertThat(context.getBean(ProducerFactory.class).getConfigurationProperties())
                            .containsAllEntriesOf(expected);
                    assertThat(context.getBean(KafkaAdmin.class).getConfigurationProperties())
                            .containsAllEntriesOf(expected);
                    assertThat(context.getBean(DeadLetterPublisher.class).settings()).containsAllEntriesOf(expected);
                });
    }

    @Test
    void topicsTakeTheDefaultPartitionsAndReplicationUnlessOverriddenByTheirShortName() {
        services.withPropertyValues("bluegreen.kafka.topics.partitions=3", "bluegreen.kafka.topics.replication=2",
                "bluegreen.kafka.topics.overrides.deployment-logs.partitions=12",
                "bluegreen.kafka.topics.overrides.deployment-logs.retention=3d")
                .run(context -> {
                    Map<String, NewTopic> topics = new java.util.HashMap<>();
                    for (NewTopic topic : PipelineTopics.declarations(context.getBean(PipelineKafkaProperties.class).topics())) {
                        topics.put(topic.name(), topic);
                    }
                    assertThat(topics).hasSize(6);
                    assertThat(topics.get("bluegreen.lifecycle").numPartitions()).isEqualTo(3);
                    assertThat(topics.get("bluegreen.lifecycle").replicationFactor()).isEqualTo((short) 2);
                    assertThat(topics.get("bluegreen.lifecycle.DLT").numPartitions()).isEqualTo(3);
                    assertThat(topics.get("bluegreen.deployment-logs").numPartitions()).isEqualTo(12);
                    assertThat(topics.get("bluegreen.deployment-logs").replicationFactor()).isEqualTo((short) 2);
                    assertThat(topics.get("bluegreen.deployment-logs").configs())
                            .containsEntry("retention.ms", Long.toString(3L * 24 * 60 * 60 * 1000));
                    assertThat(topics.get("bluegreen.app-states").configs())
                            .containsEntry("cleanup.policy", "compact");
                });
    }

    @Test
    void theLifecycleTopicHasTwelvePartitionsUnlessToldOtherwiseSoThatInstancesCanShareTheApps() {
        services.run(context -> {
            Map<String, NewTopic> topics = new java.util.HashMap<>();
            for (NewTopic topic : PipelineTopics.declarations(context.getBean(PipelineKafkaProperties.class).topics())) {
                topics.put(topic.name(), topic);
            }
            assertThat(topics.get("bluegreen.lifecycle").numPartitions()).isEqualTo(12);
            assertThat(topics.get("bluegreen.deployment-logs").numPartitions()).isEqualTo(-1);
        });
    }

    @Test
    void withoutSettingsTopicsTakeTheBrokersDefaultsButTheLifecycleTopicsPartitions() {
        services.run(context -> assertThat(PipelineTopics.declarations(context.getBean(PipelineKafkaProperties.class).topics()))
                .filteredOn(topic -> !topic.name().startsWith("bluegreen.lifecycle"))
                .allSatisfy(topic -> {
                    assertThat(topic.numPartitions()).isEqualTo(-1);
                    assertThat(topic.replicationFactor()).isEqualTo((short) -1);
                }));
    }

    @Test
    void aZeroPartitionCountIsRefusedWithTheKeyThatHoldsIt() {
        services.withPropertyValues("bluegreen.kafka.topics.overrides.lifecycle.partitions=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("bluegreen.kafka.topics.overrides.lifecycle.partitions must be at least 1"));
    }

    @Test
    void everyServiceLogsTheDeploymentIdShowsHealthAndPrometheusAndLeavesOutWhatItDoesNotUseUnlessItSaysOtherwise() {
        org.springframework.boot.SpringApplication application = new org.springframework.boot.SpringApplication();
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("mine",
                Map.of("management.endpoints.web.exposure.include", "health")));
        new PipelineDefaults().postProcessEnvironment(environment, application);

        assertThat(environment.getProperty("logging.pattern.level")).isEqualTo(PipelineDefaults.LOG_LEVEL_PATTERN);
        assertThat(environment.getProperty("spring.reactor.context-propagation")).isEqualTo("auto");
        assertThat(environment.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isEqualTo("health");
        assertThat(environment.getProperty("spring.autoconfigure.exclude"))
                .contains("AopAutoConfiguration", "Jackson2EndpointAutoConfiguration");
    }

    @Test
    void aLogLineNamesTheDeploymentWhileOneIsHandledAndNothingExtraOtherwise() {
        ch.qos.logback.classic.LoggerContext logging =
                (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.PatternLayout layout = new ch.qos.logback.classic.PatternLayout();
        layout.setContext(logging);
        layout.setPattern(PipelineDefaults.LOG_LEVEL_PATTERN + " %m");
        layout.start();
        ch.qos.logback.classic.Logger logger = logging.getLogger("test");

        org.slf4j.MDC.put("deploymentId", "d-7f3a");
        String during = layout.doLayout(new ch.qos.logback.classic.spi.LoggingEvent("test", logger,
                ch.qos.logback.classic.Level.INFO, "Switched shop to green.", null, null));
        org.slf4j.MDC.remove("deploymentId");
        String outside = layout.doLayout(new ch.qos.logback.classic.spi.LoggingEvent("test", logger,
                ch.qos.logback.classic.Level.INFO, "Started.", null, null));

        assertThat(during).isEqualTo(" INFO [d-7f3a] Switched shop to green.");
        assertThat(outside).isEqualTo(" INFO Started.");
    }
}
