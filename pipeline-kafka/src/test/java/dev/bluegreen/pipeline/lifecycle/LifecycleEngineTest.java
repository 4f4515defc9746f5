package dev.bluegreen.pipeline.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Decision;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.TopicRecords;
import dev.bluegreen.testing.KafkaFixture;

class LifecycleEngineTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(60);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> apps = IntStream.range(0, 12).mapToObj(i -> "app-" + run + "-" + i).toList();
    private final String applicationId = "lifecycle-test-" + run;
    private final List<ConfigurableApplicationContext> instances = new java.util.ArrayList<>();
    private EventLog events;

    @BeforeEach
    void openEvents() {
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }

    @AfterEach
    void stop() {
        instances.forEach(ConfigurableApplicationContext::close);
        events.close();
    }

    private LifecycleService.Recorder start(String provisioningDeadline, String... extra) {
        ConfigurableApplicationContext instance = LifecycleService.start(applicationId, apps, provisioningDeadline,
                extra);
        instances.add(instance);
        return instance.getBean(LifecycleService.Recorder.class);
    }

    @Test
    void twoInstancesShareTheAppsAndEachEventIsFoldedByExactlyOneOfThem() {
        LifecycleService.Recorder first = start("10m");
        LifecycleService.Recorder second = start("10m");
        awaitRunning();

        apps.forEach(app -> events.publish(Envelope.of("test", "d-" + app, new DeployRequested(app, "v2", null, "ci"))));

        await().atMost(TAKEOVER).untilAsserted(() -> apps.forEach(app -> assertThat(
                first.of(app).size() + second.of(app).size()).as(app).isEqualTo(1)));
        assertThat(first.transitions).isNotEmpty();
        assertThat(second.transitions).as("the second instance owns some apps too").isNotEmpty();
        apps.forEach(app -> {
            var transition = first.of(app).isEmpty() ? second.of(app).get(0) : first.of(app).get(0);
            assertThat(transition.decision().verdict()).isEqualTo(Decision.Verdict.ACCEPTED);
            assertThat(transition.after().provisioningColour()).isEqualTo(Colour.GREEN);
        });
    }

    @Test
    void whenAnInstanceStopsAnotherTakesItsAppsOverAtOnceWithTheStateTheyHad() {
        // A session timeout longer than the wait below: the takeover must come from the stopping instance leaving
        // the group (Kafka Streams' own default is to stay in it), not from its session running out. The other
        // instance hears of the rebalance at its next heartbeat, a tenth of the session timeout (4.5 s) at most.
        LifecycleService.Recorder first = start("10m", "--bluegreen.lifecycle.session-timeout=45s");
        LifecycleService.Recorder second = start("10m", "--bluegreen.lifecycle.session-timeout=45s");
        awaitRunning();
        apps.forEach(app -> events.publish(Envelope.of("test", "d-" + app, new DeployRequested(app, "v2", null, "ci"))));
        await().atMost(TAKEOVER).until(() -> first.transitions.size() + second.transitions.size() == apps.size());
        List<String> firstApps = first.transitions.stream().map(t -> t.event().subject()).toList();
        assertThat(firstApps).as("the stopping instance owns apps (12 apps, 12 partitions, two instances)")
                .isNotEmpty();

        instances.get(0).close();

        await().atMost(Duration.ofSeconds(25)).untilAsserted(() -> assertThat(second.owned).extracting(AppState::app)
                .containsAll(firstApps));
        assertThat(first.released).containsExactlyInAnyOrderElementsOf(firstApps);
        assertThat(second.owned).filteredOn(state -> firstApps.contains(state.app()))
                .allSatisfy(state -> assertThat(state.phase()).isEqualTo(Phase.PROVISIONING));
    }

    @Test
    void aDeploymentThatOutlivesItsDeadlineExpiresOnceAndFreesTheApp() {
        LifecycleService.Recorder only = start("2s");
        awaitRunning();
        String app = apps.get(0);

        events.publish(Envelope.of("test", "d-late", new DeployRequested(app, "v2", null, "ci")));

        Envelope expired = events.awaitEvent(DeploymentExpired.class, "d-late");
        assertThat(expired.dataAs(DeploymentExpired.class).phase()).isEqualTo(Phase.PROVISIONING);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(only.of(app)).last()
                .satisfies(t -> assertThat(t.after().idleApp()).isTrue()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                events.events().stream().filter(e -> e.data() instanceof DeploymentExpired
                        && e.deploymentId().equals("d-late"))).hasSize(1));
    }

    @Test
    void theLiveColourOutlivesTheLifecycleTopicsRetention() throws Exception {
        LifecycleService.Recorder before = start("10m");
        awaitRunning();
        String app = apps.get(1);
        events.publish(Envelope.of("test", "d-1", new DeployRequested(app, "v2", null, "ci")));
        events.publish(Envelope.of("test", "d-1", new EnvironmentProvisioned(app, Colour.GREEN, "v2", "abc1234",
                List.of(101L), 10)));
        events.publish(Envelope.of("test", "d-1", new EnvironmentHealthy(app, Colour.GREEN, "v2", "abc1234",
                List.of(), 10)));
        events.publish(Envelope.of("test", "d-1", new TrafficSwitched(app, Colour.BLUE, Colour.GREEN, List.of(103L),
                10)));
        await().atMost(TAKEOVER).until(() -> before.of(app).size() == 4);
        instances.remove(0).close();

        deleteEveryLifecycleRecord();
        LifecycleService.Recorder after = start("10m");

        await().atMost(TAKEOVER).untilAsserted(() -> assertThat(after.owned).filteredOn(s -> s.app().equals(app))
                .singleElement().satisfies(state -> {
                    assertThat(state.live()).isEqualTo(Colour.GREEN);
                    assertThat(state.last().id()).isEqualTo("d-1");
                }));
    }

    @Test
    void aRecordThatIsNoEventGoesToTheDeadLetterTopicAndTheAppsHistoryGoesOn() {
        LifecycleService.Recorder only = start("10m");
        awaitRunning();
        String app = apps.get(2);
        try (EventLog deadLetters = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE + ".DLT")) {
            events.publishRaw(Topics.LIFECYCLE, app, ("{\"not\":\"an event of " + run + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            events.publish(Envelope.of("test", "d-after", new DeployRequested(app, "v2", null, "ci")));

            await().atMost(TAKEOVER).untilAsserted(() -> assertThat(only.of(app)).singleElement()
                    .satisfies(t -> assertThat(t.decision().accepted()).isTrue()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetters.unreadable())
                    .anySatisfy(letter -> assertThat(letter.text()).contains(run)));
        }
    }

    private void awaitRunning() {
        await().atMost(TAKEOVER).until(() -> instances.stream()
                .allMatch(instance -> instance.getBean(LifecycleEngine.class).running()));
    }

    private static void deleteEveryLifecycleRecord() throws Exception {
        TopicRecords.deleteAll(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }
}
