package dev.bluegreen.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.apps.RoutingSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.digitalocean.LoadBalancer;
import dev.bluegreen.sandbox.droplet.ExecResult;
import dev.bluegreen.sandbox.history.AttachmentChange;
import dev.bluegreen.sandbox.history.SandboxHistory;
import dev.bluegreen.sandbox.loadbalancer.LoadBalancerProxy;
import dev.bluegreen.sandbox.sampleapp.SampleAppSteps;
import dev.bluegreen.sandbox.sampleapp.Step;

/** The two other ways a sandbox can route users: a balancer that targets a tag, and a reserved IP. */
class SandboxTrafficModesTest {

    private static final Duration SERVES_WITHIN = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void inTagModeTheBalancerTargetsTheLiveTagAndMovingTheTagMovesTheTraffic(@TempDir Path folder)
            throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(folder)
                .withDropletsPerColour(1).withTrafficMode(TrafficMode.LOAD_BALANCER_BY_TAG))) {
            SandboxDroplet blue = sandbox.droplets(Colour.BLUE).get(0);
            SandboxDroplet green = sandbox.droplets(Colour.GREEN).get(0);
            LoadBalancer balancer = sandbox.simulator().loadBalancer(sandbox.loadBalancerId()).orElseThrow();
            assertThat(sandbox.liveTag()).contains("sample-app-live");
            assertThat(balancer.settings().targetTag()).contains("sample-app-live");
            assertThat(balancer.dropletIds()).containsExactly(blue.id());
            assertThat(get(sandbox.loadBalancerUrl()).body()).isEqualTo("hello from sample-app v1\n");

            deploy(sandbox, green, "v2");
            sandbox.simulator().tagDroplets("sample-app-live", List.of(green.id()));
            sandbox.simulator().untagDroplets("sample-app-live", List.of(blue.id()));

            await().atMost(SERVES_WITHIN).until(() -> get(sandbox.loadBalancerUrl()).body(),
                    body -> body.equals("hello from sample-app v2\n"));
            assertThat(get(sandbox.loadBalancerUrl()).headers().firstValue(LoadBalancerProxy.DROPLET_HEADER))
                    .contains(String.valueOf(green.id()));
            SandboxHistory history = sandbox.history();
            assertThat(sandbox.trafficEntryPointId()).isEqualTo(sandbox.loadBalancerId());
            assertThat(history.attachments(sandbox.loadBalancerId())).extracting(AttachmentChange::cause)
                    .containsExactly("load balancer sample-app-lb was created",
                            "droplets [" + green.id() + "] were given tag sample-app-live",
                            "droplets [" + blue.id() + "] were stripped of tag sample-app-live");
            assertThat(history.timesWithoutHealthyDroplet(sandbox.loadBalancerId()))
                    .as("blue left before green passed its health checks").singleElement()
                    .satisfies(span -> assertThat(span.until()).as("until green did").isNotNull());
        }
    }

    @Test
    void inReservedIpModeTheReservedIpServesBlueMovesWithItsAssignmentAndTheAppsFileRoutesByIt(
            @TempDir Path folder) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(folder.resolve("sandbox"))
                .withDropletsPerColour(1).withTrafficMode(TrafficMode.RESERVED_IP))) {
            SandboxDroplet green = sandbox.droplets(Colour.GREEN).get(0);
            URI reservedIp = sandbox.reservedIpUrl().orElseThrow();
            assertThat(sandbox.reservedIp()).contains(SandboxSettings.RESERVED_IP);
            assertThat(sandbox.publicUrl()).isEqualTo(reservedIp);
            assertThat(get(reservedIp).body()).isEqualTo("hello from sample-app v1\n");
            RoutingSpec routing = AppsFileReader.read(sandbox.writeAppsFile(folder.resolve("bluegreen.yml")),
                    "sample-app").app().routing();
            assertThat(routing.strategy()).isEqualTo(RoutingSpec.Strategy.RESERVED_IP);
            assertThat(routing.reservedIp()).isEqualTo(SandboxSettings.RESERVED_IP);

            deploy(sandbox, green, "v2");
            sandbox.simulator().assignReservedIp(SandboxSettings.RESERVED_IP, green.id());

            await().atMost(SERVES_WITHIN).until(() -> get(reservedIp).body(),
                    body -> body.equals("hello from sample-app v2\n"));
            assertThat(sandbox.trafficEntryPointId()).isEqualTo(SandboxSettings.RESERVED_IP);
            assertThat(sandbox.history().attachments(SandboxSettings.RESERVED_IP))
                    .extracting(AttachmentChange::attached)
                    .containsExactly(List.of(sandbox.droplets(Colour.BLUE).get(0).id()), List.of(green.id()));
        }
    }

    @Test
    void inReservedIpModeEachAppHasAReservedIpOfItsOwnOnItsFirstBlueDroplet(@TempDir Path folder) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(folder.resolve("sandbox"))
                .withApps(2).withDropletsPerColour(1).withTrafficMode(TrafficMode.RESERVED_IP))) {
            Path appsFile = sandbox.writeAppsFile(folder.resolve("bluegreen.yml"));
            assertThat(sandbox.apps()).extracting(app -> app.reservedIp().orElseThrow())
                    .containsExactly(SandboxSettings.RESERVED_IP, "192.0.2.11");
            for (SandboxApp app : sandbox.apps()) {
                String ip = app.reservedIp().orElseThrow();
                assertThat(app.trafficEntryPointId()).isEqualTo(ip);
                assertThat(get(app.publicUrl()).headers().firstValue(LoadBalancerProxy.DROPLET_HEADER)).as(ip)
                        .contains(String.valueOf(app.dropletIds(Colour.BLUE).get(0)));
                assertThat(AppsFileReader.read(appsFile, app.name()).app().routing().reservedIp()).isEqualTo(ip);
            }
        }
    }

    /** Runs the sample app's deploy steps in the droplet's shell, as the sandbox bootstraps blue. */
    private static void deploy(Sandbox sandbox, SandboxDroplet droplet, String version) {
        Map<String, String> values = Map.of("app", sandbox.appName(), "ref", version,
                "commit", sandbox.repository().commitOf(version), "deployment_id", "test",
                "colour", droplet.colour().wireName(), "repository", sandbox.repositoryUrl(), "branch", "main",
                "directory", SampleAppSteps.DIRECTORY);
        for (Step step : SampleAppSteps.deploySteps()) {
            ExecResult result = droplet.server().exec(step.render(values), step.timeout());
            assertThat(result.succeeded()).as("step %s: %s", step.name(), result.outputTail(20)).isTrue();
        }
    }

    private HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
