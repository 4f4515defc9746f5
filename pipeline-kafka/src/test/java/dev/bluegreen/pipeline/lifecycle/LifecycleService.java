package dev.bluegreen.pipeline.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Phase;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Transition;
import dev.bluegreen.testing.KafkaFixture;

/** A service that only follows the apps' lifecycles and writes down what its engine tells it. */
@SpringBootConfiguration
@EnableAutoConfiguration
class LifecycleService {

    /**
     * An instance of a service whose application id is {@code applicationId}, with {@code apps} in its apps file,
     * each of which may stay provisioning for {@code provisioningDeadline}.
     */
    static ConfigurableApplicationContext start(String applicationId, List<String> apps, String provisioningDeadline,
            String... extra) {
        return startOn(KafkaFixture.bootstrapServers(), applicationId, apps, provisioningDeadline, extra);
    }

    /** The same, on the broker at {@code bootstrapServers}: for an instance in a JVM of its own. */
    static ConfigurableApplicationContext startOn(String bootstrapServers, String applicationId, List<String> apps,
            String provisioningDeadline, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.application.name=lifecycle-test",
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.StringSerializer",
                "--spring.kafka.producer.value-serializer=dev.bluegreen.events.EnvelopeSerializer",
                "--spring.kafka.consumer.group-id=lifecycle-test-" + UUID.randomUUID(),
                "--bluegreen.lifecycle.application-id=" + applicationId,
                "--bluegreen.lifecycle.session-timeout=6s",
                "--bluegreen.lifecycle.expiry-grace=0s",
                "--bluegreen.lifecycle.tick=200ms"));
        for (int i = 0; i < apps.size(); i++) {
            String app = "--bluegreen.apps." + apps.get(i) + ".";
            arguments.addAll(List.of(app + "load-balancer-id=lb-" + i, app + "repository=https://git.example/a.git",
                    app + "droplets.blue[0].id=" + (100 + 2 * i), app + "droplets.blue[0].ssh=10.0.0.1:22",
                    app + "droplets.blue[0].http=http://10.0.0.1",
                    app + "droplets.green[0].id=" + (101 + 2 * i), app + "droplets.green[0].ssh=10.0.0.2:22",
                    app + "droplets.green[0].http=http://10.0.0.2",
                    app + "deploy.deadline=" + provisioningDeadline));
        }
        for (String setting : extra) {
            // a setting given again replaces the default above, as a second value would not
            arguments.removeIf(argument -> argument.startsWith(setting.substring(0, setting.indexOf('=') + 1)));
            arguments.add(setting);
        }
        return new SpringApplicationBuilder(LifecycleService.class).web(WebApplicationType.NONE)
                .run(arguments.toArray(String[]::new));
    }

    @Bean
    Recorder recorder() {
        return new Recorder();
    }

    /** Who else hears what the engine tells this instance, as it happens. */
    interface Listener {

        default void owned(AppState state) {
        }

        default void folded(String app) {
        }

        default void released(String app) {
        }
    }

    /** Everything the engine told this instance, in order. */
    static class Recorder implements LifecycleReactor {

        final List<Transition> transitions = new CopyOnWriteArrayList<>();
        final List<AppState> owned = new CopyOnWriteArrayList<>();
        final List<String> released = new CopyOnWriteArrayList<>();
        final List<Envelope> unknown = new CopyOnWriteArrayList<>();
        volatile Listener listener = new Listener() {
        };

        @Override
        public void onTransition(Transition transition) {
            transitions.add(transition);
            listener.folded(transition.event().subject());
        }

        @Override
        public void onOwned(AppState state) {
            owned.add(state);
            listener.owned(state);
        }

        @Override
        public void onReleased(String app) {
            released.add(app);
            listener.released(app);
        }

        @Override
        public void onTick(AppState state, Instant now) {
        }

        @Override
        public void onUnknownApp(Envelope event) {
            unknown.add(event);
        }

        @Override
        public Set<Phase> ownPhases() {
            return Set.of(Phase.PROVISIONING);
        }

        List<Transition> of(String app) {
            return transitions.stream().filter(t -> t.event().subject().equals(app)).toList();
        }
    }
}
