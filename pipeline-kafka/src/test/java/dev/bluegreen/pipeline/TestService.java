package dev.bluegreen.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.testing.KafkaFixture;

/** A service as small as can be: one listener on every pipeline topic, configured the way the services are. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestService {

    /** An app whose events the listener always fails on. */
    static final String FAILING_APP = "always-failing";

    static ConfigurableApplicationContext start(String... extraArguments) {
        return start(TestService.class, extraArguments);
    }

    /** Starts {@code service}, a configuration like this one, with the same settings. */
    static ConfigurableApplicationContext start(Class<?> service, String... extraArguments) {
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                "--spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.StringSerializer",
                "--spring.kafka.producer.value-serializer=dev.bluegreen.events.EnvelopeSerializer",
                "--spring.kafka.consumer.group-id=pipeline-test-" + UUID.randomUUID(),
                "--spring.kafka.consumer.auto-offset-reset=latest",
                "--spring.kafka.consumer.key-deserializer=org.apache.kafka.common.serialization.StringDeserializer",
                "--spring.kafka.consumer.value-deserializer="
                        + "org.springframework.kafka.support.serializer.ErrorHandlingDeserializer",
                "--spring.kafka.consumer.properties.spring.deserializer.value.delegate.class="
                        + "dev.bluegreen.events.EnvelopeDeserializer",
                "--spring.kafka.consumer.properties.metadata.max.age.ms=1000",
                "--bluegreen.kafka.dead-letters.backoff=100ms",
                // every service reads the apps file; this one names an app it never hears of
                "--bluegreen.apps.quiet.load-balancer-id=lb-quiet", "--bluegreen.apps.quiet.repository=https://git/q.git",
                "--bluegreen.apps.quiet.droplets.blue[0].id=1", "--bluegreen.apps.quiet.droplets.blue[0].ssh=10.0.0.1:22",
                "--bluegreen.apps.quiet.droplets.blue[0].http=http://10.0.0.1",
                "--bluegreen.apps.quiet.droplets.green[0].id=2", "--bluegreen.apps.quiet.droplets.green[0].ssh=10.0.0.2:22",
                "--bluegreen.apps.quiet.droplets.green[0].http=http://10.0.0.2"));
        arguments.addAll(List.of(extraArguments));
        return new SpringApplicationBuilder(service).web(WebApplicationType.NONE)
                .run(arguments.toArray(String[]::new));
    }

    @Bean
    Listener listener() {
        return new Listener();
    }

    /** What the listener saw: each envelope, with the deployment id header and logging context at the time. */
    record Seen(Envelope envelope, @Nullable String header, @Nullable String loggedDeploymentId) {
    }

    static class Listener {

        final List<Seen> seen = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

        @KafkaListener(id = "pipeline-test", topics = "#{T(dev.bluegreen.events.Topics).EVENTS}")
        void onEvent(ConsumerRecord<String, Envelope> record) {
            Envelope envelope = record.value();
            attempts.computeIfAbsent(envelope.id(), id -> new AtomicInteger()).incrementAndGet();
            if (envelope.subject().equals(FAILING_APP)) {
                throw new IllegalStateException("the test listener fails on every event of " + FAILING_APP);
            }
            Header header = record.headers().lastHeader("bluegreen-deployment-id");
            seen.add(new Seen(envelope, header == null ? null : new String(header.value(), StandardCharsets.UTF_8),
                    MDC.get("deploymentId")));
        }

        boolean saw(Envelope envelope) {
            return seen.stream().anyMatch(seen -> seen.envelope().id().equals(envelope.id()));
        }

        Seen seen(Envelope envelope) {
            return seen.stream().filter(seen -> seen.envelope().id().equals(envelope.id())).findFirst().orElseThrow();
        }
    }
}
