package dev.bluegreen.sandbox;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.sampleapp.SampleAppSteps;
import dev.bluegreen.sandbox.sampleapp.Step;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path folder;
    private Sandbox sandbox;
    private AppsFileReader.AppsFile appsFile;

    @BeforeAll
    void startSandbox(@TempDir Path temporary) throws IOException {
        folder = temporary;
        sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(folder.resolve("sandbox")));
        appsFile = AppsFileReader.read(sandbox.writeAppsFile(folder.resolve("bluegreen.yml")), "sample-app");
    }

    @AfterAll
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void theLoadBalancerServesV1FromBlueAsSoonAsTheSandboxHasStarted() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(get(sandbox.loadBalancerUrl()).body()).isEqualTo("hello from sample-app v1\n");
        }
        assertThat(sandbox.simulator().dropletIdsOf(sandbox.loadBalancerId()))
                .containsExactlyElementsOf(sandbox.dropletIds(Colour.BLUE));
        assertThat(sandbox.simulator().healthyDropletIdsOf(sandbox.loadBalancerId()))
                .as("blue passed the balancer's health check of the app's own health path")
                .containsExactlyElementsOf(sandbox.dropletIds(Colour.BLUE));
        assertThat(sandbox.simulator().loadBalancer(sandbox.loadBalancerId()).orElseThrow().settings().healthCheck())
                .isEqualTo(Sandbox.HEALTH_CHECK);
        assertThat(sandbox.reservedIpUrl()).as("no reserved IP unless asked for").isEmpty();
    }

    @Test
    void deployingV2OverSshWithTheAppsFileStepsMakesThatGreenDropletAnswerV2() throws Exception {
        SandboxDroplet green = sandbox.droplets(Colour.GREEN).get(0);

        String commit = deploy(green, "v2");

        assertThat(get(green.httpUrl()).body()).isEqualTo("hello from sample-app v2\n");
        assertThat(get(green.httpUrl().resolve("/version")).body()).isEqualTo("v2\n");
        HttpResponse<String> health = get(green.httpUrl().resolve("/healthz"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(commit).isEqualTo(sandbox.repository().commitOf("v2"));
        assertThat(get(sandbox.loadBalancerUrl()).body()).as("blue stays live").isEqualTo("hello from sample-app v1\n");
    }

    @Test
    void aRedeployReplacesTheRunningAppAndTheBrokenVersionFailsItsHealthCheck() throws Exception {
        SandboxDroplet green = sandbox.droplets(Colour.GREEN).get(1);
        deploy(green, "v2");
        long v2Pid = green.server().appPid().orElseThrow();

        deploy(green, "broken");

        assertThat(running(v2Pid)).as("the v2 app was stopped").isFalse();
        assertThat(green.server().appPid().orElseThrow()).isNotEqualTo(v2Pid);
        assertThat(get(green.httpUrl()).body()).isEqualTo("hello from sample-app broken\n");
        HttpResponse<String> health = get(green.httpUrl().resolve("/healthz"));
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).isEqualTo("database unreachable\n");
    }

    @Test
    void theHistoryHoldsTheDeployStepsRunOverSshButNotTheBootstrapAndNoFailureSinceTheStart() throws Exception {
        SandboxDroplet green = sandbox.droplets(Colour.GREEN).get(0);
        String lb = sandbox.loadBalancerId();

        deploy(green, "v2");

        assertThat(sandbox.history().commandsOn(green.id())).extracting(command -> command.command())
                .anySatisfy(command -> assertThat(command).contains("git checkout --quiet --force --detach FETCH_HEAD"))
                .anySatisfy(command -> assertThat(command).contains("git rev-parse HEAD"));
        assertThat(sandbox.history().commandsOn(green.id())).allSatisfy(command -> assertThat(command.outcome())
                .isEqualTo("exit 0"));
        for (long blue : sandbox.dropletIds(Colour.BLUE)) {
            assertThat(sandbox.history().commandsOn(blue)).as("the sandbox's own bootstrap of blue").isEmpty();
        }
        assertThat(sandbox.history().commandsWhileServing()).isEmpty();
        assertThat(sandbox.history().attachments(lb).get(0).attached())
                .containsExactlyElementsOf(sandbox.dropletIds(Colour.BLUE));
        assertThat(sandbox.history().failedRequests(lb)).as("the start-up sends no request before blue is healthy")
                .isEmpty();
        assertThat(sandbox.history().timesWithoutHealthyDroplet(lb)).isEmpty();
    }

    @Test
    void theHistoryIsShownAsJsonBesideTheApiWithoutAToken() throws Exception {
        get(sandbox.loadBalancerUrl());

        HttpResponse<String> shown = get(sandbox.historyUrl());

        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        JsonNode history = JsonMapper.builder().build().readTree(shown.body());
        JsonNode balancer = history.get("entryPoints").get(0);
        assertThat(balancer.get("id").asString()).isEqualTo(sandbox.loadBalancerId());
        assertThat(balancer.get("attached").values()).extracting(JsonNode::asLong)
                .containsExactlyElementsOf(sandbox.dropletIds(Colour.BLUE));
        assertThat(balancer.get("requests").get("requests").asLong()).isPositive();
        assertThat(balancer.get("requests").get("failed").asLong()).isZero();
        assertThat(history.get("commandsWhileServing").isArray()).isTrue();
        assertThat(java.time.Instant.parse(history.get("now").get("wall").asString()))
                .isAfter(java.time.Instant.now().minusSeconds(60));
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(sandbox.historyUrl())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(405);
    }

    @Test
    void theAppsFileHoldsWhatTheServicesNeedButNotTheToken() throws IOException {
        AppSpec app = appsFile.app();
        assertThat(app.loadBalancerId()).isEqualTo(sandbox.loadBalancerId());
        assertThat(app.repository()).isEqualTo(sandbox.repositoryUrl());
        assertThat(app.branch()).isEqualTo("main");
        assertThat(app.initialLiveColour()).isEqualTo(Colour.BLUE);
        for (Colour colour : Colour.values()) {
            assertThat(app.droplets(colour)).containsExactlyElementsOf(sandbox.droplets(colour).stream()
                    .map(droplet -> new DropletSpec(droplet.id(), droplet.sshAddress(), droplet.httpUrl().toString(), null,
                            null))
                    .toList());
        }
        assertThat(app.deploy().steps()).extracting(step -> new Step(step.name(), step.run(), step.timeout()))
                .containsExactlyElementsOf(SampleAppSteps.deploySteps());
        assertThat(app.deploy().directory()).isEqualTo(".");
        assertThat(app.health().path()).isEqualTo("/healthz");
        assertThat(app.health().interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(app.routing().drainPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(appsFile.environment().getProperty("bluegreen.ssh.user")).isEqualTo("deploy");
        assertThat(appsFile.environment().getProperty("bluegreen.ssh.private-key"))
                .isEqualTo(sandbox.clientKeyFile().toString());
        assertThat(appsFile.environment().getProperty("bluegreen.ssh.known-hosts"))
                .isEqualTo(sandbox.knownHostsFile().toString());
        assertThat(appsFile.environment().getProperty("bluegreen.digitalocean.api-url"))
                .isEqualTo(sandbox.apiUrl().toString());
        assertThat(Files.readString(folder.resolve("bluegreen.yml"))).doesNotContain(sandbox.apiToken());
    }

    @Test
    void closeStopsTheAppsItStartedAndCanBeCalledTwice(@TempDir Path other) throws Exception {
        Sandbox small = Sandbox.start(SandboxSettings.defaults().withWorkFolder(other).withDropletsPerColour(1));
        SandboxDroplet blue = small.droplets(Colour.BLUE).get(0);
        long pid = blue.server().appPid().orElseThrow();
        assertThat(running(pid)).isTrue();
        assertThatThrownBy(() -> get(small.droplets(Colour.GREEN).get(0).httpUrl())).as("green runs nothing yet")
                .isInstanceOf(ConnectException.class);

        small.close();
        small.close();

        assertThat(running(pid)).as("the app's python process").isFalse();
        assertThatThrownBy(() -> get(blue.httpUrl())).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> get(small.loadBalancerUrl())).isInstanceOf(ConnectException.class);
    }

    /** Runs the apps file's steps for {@code ref} over SSH, as the deploy-agent does; returns the commit. */
    private String deploy(SandboxDroplet droplet, String ref) throws IOException {
        Map<String, String> values = Map.of("app", "sample-app", "ref", ref, "commit", "", "deployment_id", "test",
                "colour", droplet.colour().wireName(), "repository", sandbox.repositoryUrl(), "branch", "main",
                "directory", appsFile.app().deploy().directory());
        String cd = new Step("cd", "cd {{directory}}", Duration.ZERO).render(values);
        for (StepSpec step : appsFile.app().deploy().steps()) {
            ssh(droplet, cd + " && " + new Step(step.name(), step.run(), step.timeout()).render(values),
                    step.timeout());
        }
        return ssh(droplet, cd + " && " + appsFile.app().deploy().commitCommand(), Duration.ofSeconds(10)).strip();
    }

    private String ssh(SandboxDroplet droplet, String command, Duration timeout) throws IOException {
        try (SSHClient ssh = new SSHClient()) {
            ssh.loadKnownHosts(sandbox.knownHostsFile().toFile());
            ssh.connect(droplet.server().sshHost(), droplet.server().sshPort());
            ssh.authPublickey("deploy", ssh.loadKeys(sandbox.clientKeyFile().toString()));
            try (Session session = ssh.startSession(); Session.Command exec = session.exec(command)) {
                String out = new String(exec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(exec.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                exec.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(exec.getExitStatus()).as("exit status of %s; it printed %s%s", command, out, err)
                        .isZero();
                return out;
            }
        }
    }

    private HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the process runs; one that has exited but is not reaped yet (a zombie) does not. */
    private static boolean running(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        try {
            return Files.readAllLines(status).stream().noneMatch(line -> line.matches("State:\\s+Z.*"));
        } catch (java.nio.file.NoSuchFileException reapedMeanwhile) {
            return false;
        }
    }
}
