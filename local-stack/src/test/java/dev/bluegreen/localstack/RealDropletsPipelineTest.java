package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.dropletlab.DropletLab;
import dev.bluegreen.dropletlab.DropletPrerequisites;
import dev.bluegreen.dropletlab.NetnsDroplet;
import dev.bluegreen.dropletlab.SampleRepository;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.ExternalDroplet;
import dev.bluegreen.sandbox.ExternalDroplets;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxDroplet;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.sandbox.history.AttachmentChange;
import dev.bluegreen.sandbox.history.FailedRequest;
import dev.bluegreen.sandbox.history.Moment;
import dev.bluegreen.sandbox.history.RequestTally;
import dev.bluegreen.sandbox.loadbalancer.LoadBalancerProxy;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The whole system on droplets that run the seed's stack: 2 + 2 network namespaces of the droplet lab, each with
 * OpenSSH (logged in to as root), nginx with the bootstrap kit's site and gunicorn serving a Flask app, behind the
 * sandbox's load balancer. The apps file has no deploy steps, so the deploy-agent runs the README's default workflow.
 * wrk keeps load on the balancer throughout, and neither wrk nor the balancer may see one failed request. Each test
 * leaves blue live with v1. Needs root, network namespaces and the lab's programs: without them the tests are skipped,
 * unless {@code BLUEGREEN_REQUIRE_DROPLETS=1}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealDropletsPipelineTest {

    private static final Logger log = LoggerFactory.getLogger(RealDropletsPipelineTest.class);
    private static final String APP = DropletLab.APP;
    private static final Duration OUTCOME = Duration.ofSeconds(60);
    /** Few: the droplets, the services and wrk share the machine, and a busy CPU slows every deploy step. */
    private static final int CONNECTIONS = 2;
    private static final String V1 = "hello from sample v1\n";
    private static final String V2 = "hello from sample v2\n";

    @TempDir
    static Path work;

    private static DropletLab lab;
    private static LocalStack stack;
    private static EventLog events;
    private static GatewayClient gateway;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startTheDropletsAndTheWholeSystem() throws Exception {
        DropletPrerequisites.assumeAvailable();
        Wrk.requireInstalled();
        CompletableFuture<String> kafka = CompletableFuture.supplyAsync(KafkaFixture::bootstrapServers);
        lab = DropletLab.start(work.resolve("lab"), 4);
        List<NetnsDroplet> droplets = lab.droplets();
        ExternalDroplets external = new ExternalDroplets(lab.repository().url(), DropletLab.USER,
                lab.clientPrivateKey(), List.of(asExternal(droplets.get(0), "blue-1"), asExternal(droplets.get(1),
                        "blue-2")), List.of(asExternal(droplets.get(2), "green-1"), asExternal(droplets.get(3),
                        "green-2")));
        stack = LocalStack.start(new LocalStackSettings(work, LocalStackSettings.Ports.ANY_FREE,
                kafka.join(), SandboxSettings.defaults().withWorkFolder(work.resolve("sandbox"))
                        .withAppName(APP).withBusyWindow(LocalStack.BUSY_WINDOW).withExternalDroplets(external)),
                line -> { });
        gateway = new GatewayClient(stack.gatewayUrl());
        events = EventLog.open(stack.bootstrapServers(), Topics.EVENTS.toArray(String[]::new));
    }

    private static ExternalDroplet asExternal(NetnsDroplet droplet, String name) {
        return new ExternalDroplet(APP + "-" + name, droplet.sshAddress(), droplet.httpUrl(),
                droplet.knownHostsLine());
    }

    @AfterAll
    static void stopIt() {
        if (events != null) {
            events.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void v2GoesLiveOnGreenAndARollbackBringsV1BackWithoutOneFailedRequest() throws Exception {
        assertThat(balancerAnswers()).allSatisfy(answer -> assertThat(answer).isEqualTo(answer(Colour.BLUE, V1)));
        try (UnderLoad load = UnderLoad.start(sandbox())) {
            String deployment = gateway.deploy(APP, SampleRepository.V2, "test");
            TrafficSwitched switched = events.awaitEvent(TrafficSwitched.class, deployment, OUTCOME)
                    .dataAs(TrafficSwitched.class);
            assertThat(switched.to()).isEqualTo(Colour.GREEN);
            assertThat(balancerAnswers()).containsOnly(answer(Colour.GREEN, V2));
            for (URI green : dropletUrls(Colour.GREEN)) {
                assertThat(get(green).body()).as("what nginx on %s serves", green).isEqualTo(V2);
            }

            String rollback = gateway.rollback(APP, "test", "v2 is slow");
            RolledBack rolledBack = events.awaitEvent(RolledBack.class, rollback, OUTCOME).dataAs(RolledBack.class);
            assertThat(rolledBack.to()).isEqualTo(Colour.BLUE);
            assertThat(balancerAnswers()).containsOnly(answer(Colour.BLUE, V1));

            load.stopAndAssertNoRequestFailed();
        }
    }

    @Test
    @Order(2)
    void aVersionThatFailsToImportNeverGetsTrafficAndTheBalancerKeepsServingV1() throws Exception {
        Moment start = sandbox().history().now();
        try (UnderLoad load = UnderLoad.start(sandbox())) {
            String deployment = gateway.deploy(APP, SampleRepository.BROKEN, "test");
            Envelope outcome = awaitFailure(deployment);

            // gunicorn answers the HUP at once, and its master gives up only when the new workers fail to boot: the
            // self-test catches that where it asks after the old workers left, else the health-monitor does; either
            // way nginx answered 502, as nothing served the app any more
            assertThat(outcome.data()).satisfiesAnyOf(
                    failure -> assertThat(failure).isInstanceOfSatisfying(ProvisioningFailed.class, failed -> {
                        assertThat(failed.step()).isEqualTo("self-test");
                        assertThat(failed.outputTail()).contains("502");
                    }),
                    failure -> assertThat(failure).isInstanceOfSatisfying(EnvironmentUnhealthy.class, unhealthy -> {
                        assertThat(unhealthy.colour()).isEqualTo(Colour.GREEN);
                        assertThat(unhealthy.reason()).contains("502");
                    }));
            assertThat(events.events()).noneMatch(event -> deployment.equals(event.deploymentId())
                    && event.data() instanceof TrafficSwitched);
            assertThat(sandbox().history().attachments(sandbox().loadBalancerId()))
                    .filteredOn(change -> start.before(change.at())).flatExtracting(AttachmentChange::added)
                    .as("green was never added to the balancer").isEmpty();
            assertThat(balancerAnswers()).containsOnly(answer(Colour.BLUE, V1));

            load.stopAndAssertNoRequestFailed();
        }
    }

    private static Sandbox sandbox() {
        return stack.sandbox();
    }

    private static Envelope awaitFailure(String deployment) {
        return await().atMost(OUTCOME).until(() -> events.events().stream()
                .filter(event -> deployment.equals(event.deploymentId()))
                .filter(event -> event.data() instanceof EnvironmentUnhealthy
                        || event.data() instanceof ProvisioningFailed || event.data() instanceof TrafficSwitched)
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    private static String answer(Colour colour, String body) {
        return colour.wireName() + ": " + body;
    }

    /** Two answers a droplet, round robin, each as the colour of the droplet that gave it and its text. */
    private static List<String> balancerAnswers() throws IOException, InterruptedException {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 2 * sandbox().dropletIds(Colour.BLUE).size(); i++) {
            HttpResponse<String> answer = get(sandbox().loadBalancerUrl().resolve("/"));
            long droplet = answer.headers().firstValueAsLong(LoadBalancerProxy.DROPLET_HEADER).orElse(-1);
            String colour = sandbox().droplet(droplet).map(found -> found.colour().wireName()).orElse("no droplet");
            answers.add(answer.statusCode() == 200 ? colour + ": " + answer.body()
                    : colour + ": status " + answer.statusCode());
        }
        return answers;
    }

    /** Each droplet of the colour asked directly, bypassing the balancer. */
    private static List<URI> dropletUrls(Colour colour) {
        return sandbox().droplets(colour).stream().map(SandboxDroplet::httpUrl).toList();
    }

    private static HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** wrk's load on the balancer, and what the balancer's history counted meanwhile. */
    private static final class UnderLoad implements AutoCloseable {

        private final Sandbox sandbox;
        private final RequestTally before;
        private final Moment start;
        private final Wrk wrk;
        private Wrk.Result result;

        private UnderLoad(Sandbox sandbox) throws IOException {
            this.sandbox = sandbox;
            this.before = sandbox.history().requests(sandbox.loadBalancerId());
            this.start = sandbox.history().now();
            this.wrk = Wrk.start(sandbox.loadBalancerUrl(), CONNECTIONS, Duration.ofMinutes(5));
        }

        static UnderLoad start(Sandbox sandbox) throws IOException {
            return new UnderLoad(sandbox);
        }

        /** Stops wrk; neither it nor the balancer's history may have seen a failed request since the start. */
        void stopAndAssertNoRequestFailed() throws IOException, InterruptedException {
            result = wrk.stop();
            log.info("Under wrk's load on the balancer: {}.", result);
            assertThat(result.requests()).as(result.output()).isPositive();
            assertThat(result.failed()).as(result.output()).isZero();
            // the balancer records a request once its client has the answer
            long made = result.requests();
            RequestTally after = await("the balancer counted every request wrk made").atMost(Duration.ofSeconds(5))
                    .until(() -> sandbox.history().requests(sandbox.loadBalancerId()),
                            tally -> tally.requests() - before.requests() >= made);
            List<FailedRequest> failed = sandbox.history().failedRequests(sandbox.loadBalancerId()).stream()
                    .filter(request -> start.before(request.at())).toList();
            assertThat(failed).as("failed requests in the balancer's history").isEmpty();
            assertThat(after.failed() - before.failed()).as("failed requests the balancer counted").isZero();
        }

        /** Stops wrk when a test ended before it asked. */
        @Override
        public void close() throws IOException, InterruptedException {
            if (result == null) {
                result = wrk.stop();
            }
        }
    }
}
