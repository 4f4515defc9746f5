package dev.bluegreen.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.droplet.ExecResult;
import dev.bluegreen.sandbox.history.AttachmentChange;
import dev.bluegreen.sandbox.history.SandboxHistory;
import dev.bluegreen.sandbox.loadbalancer.LoadBalancerProxy;
import dev.bluegreen.sandbox.sampleapp.SampleAppSteps;
import dev.bluegreen.sandbox.sampleapp.Step;

/** Several apps behind one simulated DigitalOcean API, each with its own balancer, droplets and name. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxWithSeveralAppsTest {

    private static final Duration SERVES_WITHIN = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path folder;
    private Sandbox sandbox;

    @BeforeAll
    void startSandbox(@TempDir Path temporary) {
        folder = temporary;
        sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(folder.resolve("sandbox")).withApps(3)
                .withDropletsPerColour(1));
    }

    @AfterAll
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void eachAppsBalancerAnswersWithThatAppsLiveColour() throws Exception {
        SandboxApp third = sandbox.app("sample-app-3");
        SandboxDroplet green = third.droplets(Colour.GREEN).get(0);
        deploy(third, green, "v2");
        sandbox.simulator().attachDroplets(third.loadBalancerId(), List.of(green.id()));
        sandbox.simulator().detachDroplets(third.loadBalancerId(), third.dropletIds(Colour.BLUE));

        await().atMost(SERVES_WITHIN).until(() -> dropletAnswering(third), id -> id.equals(String.valueOf(green.id())));

        for (SandboxApp app : sandbox.apps()) {
            Colour live = app == third ? Colour.GREEN : Colour.BLUE;
            HttpResponse<String> answer = get(app.loadBalancerUrl());
            assertThat(answer.headers().firstValue(LoadBalancerProxy.DROPLET_HEADER)).as(app.name())
                    .contains(String.valueOf(app.dropletIds(live).get(0)));
            assertThat(answer.body()).as(app.name())
                    .isEqualTo(live == Colour.GREEN ? "hello from sample-app v2\n" : "hello from sample-app v1\n");
            assertThat(app.versionsServed(live)).as(app.name()).containsExactly(live == Colour.GREEN ? "v2" : "v1");
        }
    }

    @Test
    void theAppsFileNamesEveryAppWithItsOwnBalancerAndDroplets() throws IOException {
        Path file = sandbox.writeAppsFile(folder.resolve("bluegreen.yml"));

        AppCatalog catalog = AppsFileReader.catalog(file);

        assertThat(catalog.names()).containsExactlyInAnyOrder("sample-app", "sample-app-2", "sample-app-3");
        for (SandboxApp app : sandbox.apps()) {
            AppSpec spec = catalog.require(app.name());
            assertThat(spec.loadBalancerId()).as(app.name()).isEqualTo(app.loadBalancerId());
            assertThat(spec.repository()).as(app.name()).isEqualTo(sandbox.repositoryUrl());
            for (Colour colour : Colour.values()) {
                assertThat(spec.droplets(colour)).as("%s %s", app.name(), colour)
                        .containsExactlyElementsOf(app.droplets(colour).stream()
                                .map(droplet -> new DropletSpec(droplet.id(), droplet.sshAddress(),
                                        droplet.httpUrl().toString(), null, null))
                                .toList());
            }
        }
        assertThat(sandbox.apps()).extracting(SandboxApp::loadBalancerId).doesNotHaveDuplicates();
        assertThat(sandbox.apps()).extracting(SandboxApp::loadBalancerUrl).doesNotHaveDuplicates();
        assertThat(AppsFileReader.read(file, "sample-app-2").environment()
                .getProperty("bluegreen.digitalocean.api-url")).isEqualTo(sandbox.apiUrl().toString());
        assertThat(Files.readString(file)).doesNotContain(sandbox.apiToken());
    }

    @Test
    void attachingADropletOfTheSecondAppByTheApiIsRecordedUnderThatAppsBalancerOnly() throws Exception {
        SandboxApp second = sandbox.app("sample-app-2");
        long green = second.dropletIds(Colour.GREEN).get(0);

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(sandbox.apiUrl()
                        .resolve("/v2/load_balancers/" + second.loadBalancerId() + "/droplets"))
                .header("Authorization", "Bearer " + sandbox.apiToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"droplet_ids\":[" + green + "]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        SandboxHistory history = sandbox.history();
        assertThat(history.attachments(second.loadBalancerId())).last().satisfies(change -> {
            assertThat(change.added()).containsExactly(green);
            assertThat(change.attached()).containsExactly(second.dropletIds(Colour.BLUE).get(0), green);
        });
        for (SandboxApp other : sandbox.apps()) {
            if (other != second) {
                assertThat(history.attachments(other.loadBalancerId())).as(other.name())
                        .flatExtracting(AttachmentChange::attached).doesNotContain(green);
            }
        }
        assertThat(history.entryPoints()).as("one balancer an app, no more")
                .containsExactlyInAnyOrderElementsOf(sandbox.apps().stream().map(SandboxApp::loadBalancerId).toList());
    }

    @Test
    void theMethodsThatNameNoAppAreThoseOfTheFirstApp() {
        SandboxApp first = sandbox.apps().get(0);

        assertThat(sandbox.apps()).extracting(SandboxApp::name)
                .containsExactly("sample-app", "sample-app-2", "sample-app-3");
        assertThat(sandbox.appName()).isEqualTo(first.name());
        assertThat(sandbox.loadBalancerId()).isEqualTo(first.loadBalancerId());
        assertThat(sandbox.loadBalancerUrl()).isEqualTo(first.loadBalancerUrl());
        assertThat(sandbox.trafficEntryPointId()).isEqualTo(first.loadBalancerId());
        assertThat(sandbox.droplets()).isEqualTo(first.droplets());
        assertThat(sandbox.dropletIds(Colour.GREEN)).isEqualTo(first.dropletIds(Colour.GREEN));
        SandboxDroplet ofTheThird = sandbox.app("sample-app-3").droplets(Colour.GREEN).get(0);
        assertThat(sandbox.droplet(ofTheThird.id())).as("a droplet is found whichever app it serves")
                .contains(ofTheThird);
        assertThat(ofTheThird.name()).isEqualTo("sample-app-3-green-1");
    }

    @Test
    void aSandboxNeedsAtLeastOneApp() {
        assertThatThrownBy(() -> SandboxSettings.defaults().withApps(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A sandbox needs at least one app, was 0");
        assertThatThrownBy(() -> sandbox.app("sample-app-4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample-app-3");
    }

    /** Runs the apps file's steps in the droplet's shell, as the sandbox's own bootstrap of blue does. */
    private void deploy(SandboxApp app, SandboxDroplet droplet, String ref) {
        Map<String, String> values = Map.of("app", app.name(), "ref", ref, "commit", "", "deployment_id", "test",
                "colour", droplet.colour().wireName(), "repository", sandbox.repositoryUrl(), "branch", "main",
                "directory", SampleAppSteps.DIRECTORY);
        for (Step step : SampleAppSteps.deploySteps()) {
            ExecResult result = droplet.server().exec(step.render(values), step.timeout());
            assertThat(result.succeeded()).as("step %s: %s", step.name(), result.outputTail(20)).isTrue();
        }
    }

    private String dropletAnswering(SandboxApp app) throws IOException, InterruptedException {
        return get(app.loadBalancerUrl()).headers().firstValue(LoadBalancerProxy.DROPLET_HEADER).orElse("none");
    }

    private HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
