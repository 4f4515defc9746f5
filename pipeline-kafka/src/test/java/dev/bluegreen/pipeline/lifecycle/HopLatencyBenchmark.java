package dev.bluegreen.pipeline.lifecycle;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.awaitility.core.ConditionTimeoutException;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.lifecycle.Transition;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * What the pipeline itself adds to a deployment, per hop: 200 apps each deploy once at the same moment, through two
 * instances of each of four services that run the real lifecycle engine and state machine, with stand-in reactions
 * that do no work (no SSH, no probes, no DigitalOcean), each publishing the next event at once. A hop is the time from
 * an event's envelope being made to the next service's reaction to it. Run it with
 * {@code ./mvnw -o -q -pl pipeline-kafka test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.bluegreen.pipeline.lifecycle.HopLatencyBenchmark} (KAFKA_BOOTSTRAP_SERVERS or an embedded
 * broker), or from an IDE.
 */
public final class HopLatencyBenchmark {

    private static final int APPS = 200;
    /** Deployed after the burst, one at a time: what a hop costs when the pipeline is not busy. */
    private static final int ONE_BY_ONE = 20;
    private static final String[] HOPS = { "gateway to agent", "agent to monitor", "monitor to router",
            "router to switch event" };

    /** Reaction delays per hop, in microseconds. */
    static final Map<String, List<Long>> delays = new ConcurrentHashMap<>();
    static final List<Instant> switched = new CopyOnWriteArrayList<>();

    public static void main(String[] args) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> apps = IntStream.range(0, APPS + ONE_BY_ONE).mapToObj(i -> "bench-" + run + "-" + i).toList();
        List<ConfigurableApplicationContext> services = new ArrayList<>();
        try (EventLog events = EventLog.open(KafkaFixture.bootstrapServers(), dev.bluegreen.events.Topics.LIFECYCLE)) {
            for (String role : List.of("agent", "monitor", "router", "gateway")) {
                for (int instance = 0; instance < 2; instance++) {
                    services.add(start(role, run, apps));
                }
            }
            awaitRunning(services);
            ThreadCpu cpu = ThreadCpu.start();
            Instant start = Instant.now();
            System.out.println("The burst of " + APPS + " deploy requests starts at " + start + ".");
            for (String app : apps.subList(0, APPS)) {
                events.publish(Envelope.of("gateway", "d-" + app, new DeployRequested(app, "v2", null, "bench")));
            }
            awaitSwitched(APPS, Duration.ofMinutes(3));
            Instant last = switched.stream().max(Instant::compareTo).orElse(Instant.now());
            System.out.printf("%d of %d apps switched; all %d deployments took %d ms from the first request to the "
                    + "last TrafficSwitched.%n", switched.size(), APPS, APPS, Duration.between(start, last).toMillis());
            report("200 apps at once");
            cpu.report("the burst", APPS);
            delays.clear();
            ThreadCpu oneByOne = ThreadCpu.start();
            for (String app : apps.subList(APPS, APPS + ONE_BY_ONE)) {
                int before = switched.size();
                events.publish(Envelope.of("gateway", "d-" + app, new DeployRequested(app, "v2", null, "bench")));
                awaitSwitched(before + 1, Duration.ofSeconds(30));
            }
            report(ONE_BY_ONE + " apps one after another");
            oneByOne.report("the deployments one after another", ONE_BY_ONE);
        }
        finally {
            services.forEach(ConfigurableApplicationContext::close);
        }
        System.exit(0);
    }

    private static void report(String what) {
        System.out.println(what + ":");
        for (String hop : HOPS) {
            List<Long> sorted = new ArrayList<>(delays.getOrDefault(hop, List.of()));
            Collections.sort(sorted);
            System.out.printf("  %-24s n=%d p50 %.1f ms p99 %.1f ms max %.1f ms%n", hop, sorted.size(),
                    percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0));
        }
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1000.0;
    }

    private static void awaitRunning(List<ConfigurableApplicationContext> services) {
        await("the stand-in services run").atMost(Duration.ofMinutes(2)).until(() -> services.stream()
                .allMatch(service -> service.getBean(LifecycleEngine.class).running()));
    }

    /**
     * Waits until {@code count} apps switched, or {@code timeout} passed: the report then says how many did. Hops are
     * timed by the reactions, not by when this wait notices them.
     */
    private static void awaitSwitched(int count, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(5)).until(() -> switched.size() >= count);
        }
        catch (ConditionTimeoutException late) {
            // reported with the figures: fewer apps switched, and fewer hops counted
        }
    }

    private static ConfigurableApplicationContext start(String role, String run, List<String> apps) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.application.name=bench-" + role,
                "--bench.role=" + role,
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                "--spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.StringSerializer",
                "--spring.kafka.producer.value-serializer=dev.bluegreen.events.EnvelopeSerializer",
                "--spring.kafka.producer.properties.linger.ms=0",
                "--bluegreen.lifecycle.application-id=bench-" + role + "-" + run,
                "--bluegreen.lifecycle.publish-states=" + role.equals("gateway")));
        for (int i = 0; i < apps.size(); i++) {
            String app = "--bluegreen.apps." + apps.get(i) + ".";
            arguments.addAll(List.of(app + "load-balancer-id=lb-" + i, app + "repository=https://git.example/a.git",
                    app + "droplets.blue[0].id=" + (10_000 + 2 * i), app + "droplets.blue[0].ssh=10.0.0.1:22",
                    app + "droplets.blue[0].http=http://10.0.0.1",
                    app + "droplets.green[0].id=" + (10_001 + 2 * i), app + "droplets.green[0].ssh=10.0.0.2:22",
                    app + "droplets.green[0].http=http://10.0.0.2"));
        }
        return new SpringApplicationBuilder(StandIn.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off")
                .run(arguments.toArray(String[]::new));
    }

    /** A service whose reaction to its turn is to publish the outcome at once. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class StandIn {

        @Bean
        LifecycleReactor reactor(KafkaTemplate<String, Envelope> kafka,
                org.springframework.core.env.Environment environment) {
            String role = environment.getProperty("bench.role", "gateway");
            return new LifecycleReactor() {

                @Override
                public void onTransition(Transition transition) {
                    Envelope event = transition.event();
                    long micros = Duration.between(event.time(), Instant.now()).toNanos() / 1000;
                    String app = event.subject();
                    String id = event.deploymentId();
                    if (role.equals("agent") && event.data() instanceof DeployRequested
                            && transition.decision().accepted()) {
                        record("gateway to agent", micros);
                        Colour colour = transition.after().current().target();
                        publish(kafka, id, new DeploymentStarted(app, colour, "v2", List.of(1L)));
                        publish(kafka, id, new EnvironmentProvisioned(app, colour, "v2", "abc1234", List.of(1L), 0));
                    }
                    else if (role.equals("monitor") && transition.entered(Phase.CHECKING)) {
                        record("agent to monitor", micros);
                        publish(kafka, id, new EnvironmentHealthy(app, transition.after().current().target(), "v2",
                                "abc1234", List.of(), 0));
                    }
                    else if (role.equals("router") && transition.entered(Phase.SWITCHING)) {
                        record("monitor to router", micros);
                        Colour to = transition.after().current().target();
                        publish(kafka, id, new TrafficSwitched(app, to.other(), to, List.of(1L), 0));
                    }
                    else if (role.equals("gateway") && event.data() instanceof TrafficSwitched
                            && transition.decision().changed()) {
                        record("router to switch event", micros);
                        switched.add(Instant.now());
                    }
                }
            };
        }

        private static void record(String hop, long micros) {
            delays.computeIfAbsent(hop, key -> new CopyOnWriteArrayList<>()).add(micros);
        }

        private static void publish(KafkaTemplate<String, Envelope> kafka, String id, PipelineEvent event) {
            Envelope envelope = Envelope.of("bench", id, event);
            kafka.send(envelope.topic(), event.app(), envelope);
        }
    }
}
