package dev.bluegreen.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.history.Moment;
import dev.bluegreen.sandbox.loadbalancer.LoadBalancerProxy;
import dev.bluegreen.sandbox.loadbalancer.TinyDroplet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A sandbox whose droplets someone else runs (here small HTTP servers standing in for namespaces with nginx): it
 * lists, balances and health-checks them, and writes an apps file for the README's default workflow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxWithExternalDropletsTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final TinyDroplet blue = TinyDroplet.saying("hello from blue\n");
    private final TinyDroplet green = TinyDroplet.saying("hello from green\n");
    private Path folder;
    private Sandbox sandbox;

    @BeforeAll
    void startSandbox(@TempDir Path temporary) {
        folder = temporary;
        sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(folder.resolve("sandbox"))
                .withAppName("sample").withExternalDroplets(new ExternalDroplets("/srv/git/sample.git", "root", folder.resolve("lab_key"),
                        List.of(external("sample-blue-1", "10.99.0.2", blue)),
                        List.of(external("sample-green-1", "10.99.0.3", green)))));
    }

    @AfterAll
    void stopSandbox() {
        sandbox.close();
        blue.close();
        green.close();
    }

    @Test
    void theBalancerServesBlueFromItsHttpUrlAndCountsTheRequestsInTheHistory() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> get(sandbox.loadBalancerUrl()).statusCode() == 200);
        // the requests of the wait above may still be on their way into the history: count once they are all in
        long before = await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(300))
                .until(new java.util.concurrent.Callable<Long>() {
                    private long last = -1;

                    @Override
                    public Long call() {
                        long seen = last;
                        last = sandbox.history().requests(sandbox.loadBalancerId()).requests();
                        return last == seen ? last : null;
                    }
                }, java.util.Objects::nonNull);
        Moment start = sandbox.history().now();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = get(sandbox.loadBalancerUrl());
            assertThat(answer.body()).isEqualTo("hello from blue\n");
            assertThat(answer.headers().firstValue(LoadBalancerProxy.DROPLET_HEADER))
                    .hasValue(Long.toString(sandbox.dropletIds(Colour.BLUE).get(0)));
        }
        // the balancer records a request once the client has its answer
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sandbox.history()
                .requests(sandbox.loadBalancerId()).requests()).isEqualTo(before + 3));
        assertThat(sandbox.history().failedRequests(sandbox.loadBalancerId()))
                .noneMatch(failed -> start.before(failed.at()));
    }

    @Test
    void aBlueDropletThatFailsItsHealthCheckLeavesTheBalancer() throws Exception {
        blue.healthy(false);
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(sandbox.loadBalancerUrl())
                    .statusCode()).isEqualTo(503));
        } finally {
            blue.healthy(true);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(sandbox.loadBalancerUrl()).body())
                .isEqualTo("hello from blue\n"));
    }

    @Test
    void theApiListsTheDropletsByTheirNamesTagsAndAddresses() throws Exception {
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(sandbox.apiUrl().resolve("/v2/droplets"))
                .header("Authorization", "Bearer " + sandbox.apiToken()).build(), HttpResponse.BodyHandlers.ofString());

        JsonNode droplets = JsonMapper.builder().build().readTree(listed.body()).get("droplets");
        assertThat(droplets.values()).extracting(droplet -> droplet.get("name").asString())
                .containsExactly("sample-blue-1", "sample-green-1");
        assertThat(droplets.get(1).get("tags").values()).extracting(JsonNode::asString)
                .contains("sample", "sample-green");
        assertThat(droplets.get(1).get("networks").get("v4").values())
                .extracting(network -> network.get("ip_address").asString()).contains("127.0.0.1");
    }

    @Test
    void theAppsFileLeavesTheStepsToTheDefaultWorkflowAndLogsInWithTheGivenUserKeyAndHostKeys() throws IOException {
        Path file = sandbox.writeAppsFile(folder.resolve("bluegreen.yml"));
        AppsFileReader.AppsFile read = AppsFileReader.read(file, "sample");
        AppSpec app = read.app();

        assertThat(app.repository()).isEqualTo("/srv/git/sample.git");
        assertThat(app.droplets(Colour.GREEN)).containsExactly(new DropletSpec(sandbox.dropletIds(Colour.GREEN).get(0),
                "10.99.0.3:22", green.http().toString(), null, null));
        assertThat(app.deploy().steps()).extracting(StepSpec::name)
                .containsExactly("fetch", "checkout", "install", "restart", "self-test");
        assertThat(app.deploy().steps()).isEqualTo(new DeploySpec(null, null, null, null, null, null, null).steps());
        assertThat(app.deploy().directory()).isEqualTo("/srv/{{app}}");
        assertThat(app.health().path()).isEqualTo("/healthz");
        assertThat(read.environment().getProperty("bluegreen.ssh.user")).isEqualTo("root");
        assertThat(read.environment().getProperty("bluegreen.ssh.private-key"))
                .isEqualTo(folder.resolve("lab_key").toString());
        assertThat(Files.readAllLines(Path.of(read.environment().getProperty("bluegreen.ssh.known-hosts"))))
                .containsExactly("10.99.0.2 ssh-ed25519 AAAAsample-blue-1", "10.99.0.3 ssh-ed25519 AAAAsample-green-1");
    }

    @Test
    void theSandboxRunsNoSshServerForAnExternalDroplet() {
        SandboxDroplet droplet = sandbox.droplets(Colour.BLUE).get(0);

        assertThat(droplet.inProcess()).isEmpty();
        assertThatThrownBy(droplet::server).hasMessageContaining("sample-blue-1 is an external droplet");
    }

    @Test
    void externalDropletsServeOneApp() {
        SandboxSettings external = SandboxSettings.defaults().withExternalDroplets(new ExternalDroplets("repo", "root",
                folder.resolve("key"), List.of(external("a", "10.99.0.2", blue)), List.of(external("b", "10.99.0.3",
                        green))));

        assertThatThrownBy(() -> external.withApps(2)).hasMessageContaining("External droplets serve one app");
    }

    private static ExternalDroplet external(String name, String address, TinyDroplet server) {
        return new ExternalDroplet(name, address + ":22", server.http(), address + " ssh-ed25519 AAAA" + name);
    }

    private HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
