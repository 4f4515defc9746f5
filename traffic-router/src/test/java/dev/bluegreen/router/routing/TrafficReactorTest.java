package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppCatalogProperties;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.Droplets;
import dev.bluegreen.apps.RoutingSpec;
import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.digitalocean.DigitalOceanProperties;
import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeSerializer;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Transition;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanApiServer;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy.Call;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The reactor on its own, handed the transitions and states the lifecycle engine would hand it, built here with the
 * shared state machine: the cases a running engine rarely shows (a transition seen twice, a take-over after drift was
 * recorded). It still moves a simulated DigitalOcean and publishes to a real broker.
 */
class TrafficReactorTest {

    private static final String TOKEN = "dop_v1_reactor";

    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private final DigitalOceanApiServer api = DigitalOceanApiServer.start(simulator, TOKEN, 0);
    private final RecordingProxy proxy = new RecordingProxy(api.baseUrl(), simulator);
    private final HealthChecks healthChecks = new HealthChecks(simulator);
    private final EventLog events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    private final DefaultKafkaProducerFactory<String, Envelope> producers = new DefaultKafkaProducerFactory<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()), new StringSerializer(),
            new EnvelopeSerializer());
    private final String app = "solo-" + UUID.randomUUID().toString().substring(0, 8);
    private final TestApp solo = TestApp.create(simulator, app, BLUE);
    private final TrafficReactor reactor = reactor(false);
    private AppState state = AppState.initial(app, BLUE);

    @AfterEach
    void stop() {
        reactor.stop();
        events.close();
        producers.destroy();
        proxy.close();
        api.close();
        healthChecks.close();
    }

    @Test
    void theSameEntryIntoSwitchingHandedOverTwiceMovesTheTrafficOnce() {
        String deploymentId = untilHealthy();
        AppState switching = state;

        reactor.onOwned(switching);
        reactor.onOwned(switching);

        events.awaitEvent(TrafficSwitched.class, deploymentId);
        assertThat(proxy.callsAbout(solo.loadBalancerId())).extracting(Call::method)
                .containsExactly("GET", "POST", "DELETE");
        assertThat(answers(deploymentId)).hasExactlyElementsOfTypes(TrafficSwitched.class);
    }

    @Test
    void aMoveTakenOverAfterItsDriftWasRecordedFailsWithoutAnyDigitalOceanCall() {
        String deploymentId = untilHealthy();
        // the earlier owner found the balancer moved by hand and died before it published SwitchFailed
        fold(Envelope.of("traffic-router", deploymentId, new DriftDetected(app, BLUE, List.of(GREEN), "moved")));

        reactor.onOwned(state);

        SwitchFailed failed = events.awaitEvent(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);
        assertThat(failed.reason()).startsWith("The balancer was found moved outside the pipeline while deployment "
                + deploymentId + " was under way");
        assertThat(proxy.callsAbout(solo.loadBalancerId())).isEmpty();
    }

    @Test
    void aSwitchTakenOverBeforeItWasApprovedWaitsForPromotionAgain() {
        TrafficReactor gated = reactor(true);
        try {
            String deploymentId = untilHealthy();

            gated.onOwned(state);

            AwaitingPromotion awaiting = events.awaitEvent(AwaitingPromotion.class, deploymentId)
                    .dataAs(AwaitingPromotion.class);
            assertThat(awaiting.to()).isEqualTo(GREEN);
            assertThat(proxy.callsAbout(solo.loadBalancerId())).isEmpty();
        } finally {
            gated.stop();
        }
    }

    @Test
    void aCancelOfAMoveUnderWayIsRefusedAloudAndTheMoveGoesOn() {
        String deploymentId = untilHealthy();
        reactor.onOwned(state);

        Transition cancel = fold(Envelope.of("gateway", deploymentId, new CancelRequested(app, "bob", "too slow")));
        reactor.onTransition(cancel);

        RequestRefused refused = events.awaitEvent(RequestRefused.class, deploymentId).dataAs(RequestRefused.class);
        assertThat(refused.request()).isEqualTo("CancelRequested");
        assertThat(refused.reason()).startsWith("Traffic of " + app + " is moving to green");
        events.awaitEvent(TrafficSwitched.class, deploymentId);
        assertThat(simulator.dropletIdsOf(solo.loadBalancerId())).containsExactlyInAnyOrderElementsOf(solo.green());
    }

    /** Folds a new deployment of the app until it is SWITCHING, without handing any of it to the reactor. */
    private String untilHealthy() {
        String deploymentId = app + "-" + UUID.randomUUID();
        fold(Envelope.of("gateway", deploymentId, new DeployRequested(app, "main", null, "alice")));
        fold(Envelope.of("deploy-agent", deploymentId, new EnvironmentProvisioned(app, GREEN, "main", "0a1b2c3",
                solo.green(), 900)));
        Transition healthy = fold(Envelope.of("health-monitor", deploymentId, TrafficRouterRun.healthy(solo, GREEN)));
        assertThat(healthy.entered(Phase.SWITCHING)).isTrue();
        return deploymentId;
    }

    private Transition fold(Envelope event) {
        Transition transition = state.apply(event);
        state = transition.after();
        return transition;
    }

    private List<PipelineEvent> answers(String deploymentId) {
        return events.events().stream()
                .filter(event -> event.deploymentId().equals(deploymentId) && event.source().equals("traffic-router"))
                .map(Envelope::data)
                .toList();
    }

    private TrafficReactor reactor(boolean approvalRequired) {
        DigitalOceanClient digitalOcean = new DigitalOceanClient(WebClient.builder(),
                new DigitalOceanProperties(URI.create(proxy.url()), TOKEN, Duration.ofSeconds(10), null));
        AppCatalog catalog = new AppCatalog(new AppCatalogProperties(Map.of(app, spec(approvalRequired))));
        return new TrafficReactor(catalog, new TrafficSwitcher(catalog, digitalOcean,
                new ReservedIpSwitcher(digitalOcean), new NewColourWatch(digitalOcean, WebClient.builder())),
                new TrafficEvents(new KafkaTemplate<>(producers)));
    }

    private AppSpec spec(boolean approvalRequired) {
        return new AppSpec(solo.loadBalancerId(), "https://git.example.com/solo.git", null, BLUE,
                new Droplets(droplets(solo.blue()), droplets(solo.green())), null, null, null,
                new RoutingSpec(null, null, approvalRequired, Duration.ZERO, Duration.ofSeconds(5)));
    }

    private static List<DropletSpec> droplets(List<Long> ids) {
        return ids.stream().map(id -> new DropletSpec(id, "127.0.0.1:22", "http://127.0.0.1:9", null, null)).toList();
    }
}
