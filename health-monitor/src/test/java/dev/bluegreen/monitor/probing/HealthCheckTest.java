package dev.bluegreen.monitor.probing;

import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.failing;
import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.ok;
import static dev.bluegreen.monitor.probing.DropletStandIn.Answer.silence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Topics;
import dev.bluegreen.monitor.HealthMonitors;
import dev.bluegreen.monitor.Histories;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.FreePorts;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The health-monitor as it runs: started the way the local stack starts it, following the apps' histories on a real
 * broker with its lifecycle engine, probing droplets that are real HTTP servers.
 */
class HealthCheckTest {

    private static final DropletStandIn STEADY_1 = DropletStandIn.answering(ok());
    private static final DropletStandIn STEADY_2 = DropletStandIn.answering(ok());
    private static final DropletStandIn STEADY_PEER = DropletStandIn.answering(ok());
    private static final DropletStandIn BROKEN = DropletStandIn.answering(failing(503, "database unreachable\n"));
    private static final DropletStandIn SILENT = DropletStandIn.answering(silence());
    private static final DropletStandIn FLAPPING = DropletStandIn.answering(ok(), ok(), failing(500, "oops"), ok());
    private static final String REFUSING = "http://127.0.0.1:" + FreePorts.any();
    private static final DropletStandIn APP_BEHIND_NGINX = DropletStandIn.answering(ok("database: ok\n"));
    private static final DropletStandIn NGINX_ALONE = DropletStandIn.answering(ok("Welcome to nginx!"));
    private static final DropletStandIn PREVIEW_1 = aPreview();
    private static final DropletStandIn PREVIEW_2 = aPreview();
    private static final DropletStandIn HALF_BROKEN_1 = aPreview();
    private static final DropletStandIn HALF_BROKEN_2 = DropletStandIn.answering(ok())
            .on("/login", failing(500, "TemplateNotFound: login.html"))
            .on("/api/items", ok("[]"));
    private static final DropletStandIn CANCELLED = DropletStandIn.answering(failing(503, "still starting\n"));
    private static final DropletStandIn EXPECTED_ONCE = DropletStandIn.answering(ok());
    private static final List<DropletStandIn> DROPLETS = List.of(STEADY_1, STEADY_2, STEADY_PEER, BROKEN, SILENT,
            FLAPPING, APP_BEHIND_NGINX, NGINX_ALONE, PREVIEW_1, PREVIEW_2, HALF_BROKEN_1, HALF_BROKEN_2, CANCELLED,
            EXPECTED_ONCE);
    private static final String SMOKE_CHECKS = ""
            + "        expected-body: ok\n"
            + "        smoke:\n"
            + "          - { path: /login, expected-body: Sign in }\n"
            + "          - { path: /api/items, expected-status: 200 }\n";

    private static ConfigurableApplicationContext healthMonitor;
    private static EventLog events;

    @BeforeAll
    static void startHealthMonitor() throws IOException {
        healthMonitor = HealthMonitors.start(appsFile());
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }

    @AfterAll
    static void stopEverything() {
        events.close();
        healthMonitor.close();
        DROPLETS.forEach(DropletStandIn::close);
    }

    @Test
    void reportsHealthyWhenEveryDropletPassesEnoughChecksInARow() {
        String deploymentId = provisioned("steady", 101, 102);

        Envelope envelope = events.awaitEvent(EnvironmentHealthy.class, deploymentId);

        EnvironmentHealthy healthy = envelope.dataAs(EnvironmentHealthy.class);
        assertThat(envelope.source()).isEqualTo("health-monitor");
        assertThat(healthy.colour()).isEqualTo(Colour.GREEN);
        assertThat(healthy.commit()).isEqualTo("0a1b2c3");
        assertThat(healthy.droplets()).extracting(DropletHealth::dropletId).containsExactly(101L, 102L);
        assertThat(healthy.droplets()).allSatisfy(droplet -> {
            assertThat(droplet.healthy()).isTrue();
            assertThat(droplet.probes()).isEqualTo(3);
            assertThat(droplet.lastResult()).matches("200 in \\d+ ms; healthy after \\d+ ms");
        });
        assertThat(STEADY_1.requestedPaths()).hasSize(3).containsOnly("/healthz");
    }

    @Test
    void reportsUnhealthyWithTheReasonWhenADropletKeepsFailing() {
        String deploymentId = provisioned("shaky", 201, 202);

        Envelope envelope = events.awaitEvent(EnvironmentUnhealthy.class, deploymentId);

        EnvironmentUnhealthy unhealthy = envelope.dataAs(EnvironmentUnhealthy.class);

        assertThat(unhealthy.reason())
                .startsWith("Droplet 202 did not pass 3 health checks in a row within 1 s; last answer: 503 in ")
                .endsWith(" ms (database unreachable)")
                .doesNotContain("201");
        assertThat(unhealthy.droplets()).extracting(DropletHealth::dropletId, DropletHealth::healthy)
                .containsExactly(tuple(201L, true), tuple(202L, false));
        assertThat(sinceProvisioned(envelope)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aDropletThatNeverAnswersIsUnhealthyAfterTheDeadline() {
        String deploymentId = provisioned("silent", 301);

        Envelope envelope = events.awaitEvent(EnvironmentUnhealthy.class, deploymentId);

        assertThat(envelope.dataAs(EnvironmentUnhealthy.class).reason()).isEqualTo(
                "Droplet 301 did not pass 3 health checks in a row within 1 s; last: no answer within 200 ms");
        assertThat(sinceProvisioned(envelope)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aDropletThatRefusesConnectionsIsUnhealthySayingSo() {
        String deploymentId = provisioned("refusing", 401);

        EnvironmentUnhealthy unhealthy = events.awaitEvent(EnvironmentUnhealthy.class, deploymentId)
                .dataAs(EnvironmentUnhealthy.class);

        assertThat(unhealthy.reason()).isEqualTo(
                "Droplet 401 did not pass 3 health checks in a row within 1 s; last: connection refused");
    }

    @Test
    void aFlappingDropletMustPassInARow() {
        String deploymentId = provisioned("flapping", 501);

        EnvironmentHealthy healthy = events.awaitEvent(EnvironmentHealthy.class, deploymentId)
                .dataAs(EnvironmentHealthy.class);

        // passed, passed, failed: the count starts again, so it takes three more passes
        assertThat(healthy.droplets()).singleElement().satisfies(droplet -> {
            assertThat(droplet.healthy()).isTrue();
            assertThat(droplet.probes()).isEqualTo(6);
        });
    }

    @Test
    void aDropletWhoseAnswerLacksTheExpectedTextIsUnhealthy() {
        String deploymentId = provisioned("body-checked", 601, 602);

        EnvironmentUnhealthy unhealthy = events.awaitEvent(EnvironmentUnhealthy.class, deploymentId)
                .dataAs(EnvironmentUnhealthy.class);

        assertThat(unhealthy.reason())
                .startsWith("Droplet 602 did not pass 3 health checks in a row within 1 s; last answer: 200 in ")
                .endsWith(" ms, but the body lacks \"database: ok\" (Welcome to nginx!)")
                .doesNotContain("601");
        assertThat(unhealthy.droplets()).extracting(DropletHealth::dropletId, DropletHealth::healthy)
                .containsExactly(tuple(601L, true), tuple(602L, false));
    }

    @Test
    void runsTheSmokeChecksOnEveryDropletOnceItIsHealthy() {
        String deploymentId = provisioned("preview", 701, 702);

        EnvironmentHealthy healthy = events.awaitEvent(EnvironmentHealthy.class, deploymentId)
                .dataAs(EnvironmentHealthy.class);

        assertThat(healthy.droplets()).allSatisfy(droplet -> {
            assertThat(droplet.healthy()).isTrue();
            assertThat(droplet.probes()).isEqualTo(5);
            assertThat(droplet.lastResult())
                    .matches("200 in \\d+ ms; healthy after \\d+ ms; 2 smoke checks passed");
        });
        assertThat(List.of(PREVIEW_1, PREVIEW_2)).allSatisfy(droplet -> assertThat(droplet.requestedPaths())
                .containsExactly("/healthz", "/healthz", "/healthz", "/login", "/api/items"));
    }

    @Test
    void aFailingSmokeCheckMakesTheColourUnhealthyNamingThePathTheDropletAndTheAnswer() {
        String deploymentId = provisioned("half-broken", 801, 802);

        EnvironmentUnhealthy unhealthy = events.awaitEvent(EnvironmentUnhealthy.class, deploymentId)
                .dataAs(EnvironmentUnhealthy.class);

        assertThat(unhealthy.reason())
                .startsWith("Smoke check /login on droplet 802 failed: 500 in ")
                .endsWith(" ms (TemplateNotFound: login.html); expected 200 containing \"Sign in\"")
                .doesNotContain("801");
        assertThat(unhealthy.droplets()).extracting(DropletHealth::dropletId, DropletHealth::healthy)
                .containsExactly(tuple(801L, true), tuple(802L, false));
        assertThat(unhealthy.droplets().get(1).lastResult())
                .contains("; smoke check /login: 500 in ").endsWith("(TemplateNotFound: login.html)");
        assertThat(events.events()).noneMatch(envelope -> deploymentId.equals(envelope.deploymentId())
                && envelope.data() instanceof EnvironmentHealthy);
    }

    @Test
    void aCancelDuringTheCheckStopsTheProbesAndPublishesNothing() {
        String deploymentId = provisioned("cancelled", 901);
        await().atMost(Duration.ofSeconds(30)).until(() -> CANCELLED.requests() >= 2);

        events.publish(Envelope.of("gateway", deploymentId,
                new CancelRequested("cancelled", "alice", "the release notes are wrong")));

        await().atMost(Duration.ofSeconds(10)).until(CANCELLED::requests, DropletStandIn.stopsGrowing());
        // the check's own deadline (3 s) passes meanwhile: a check left running would say unhealthy by now
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> verdictsOf(deploymentId).isEmpty());
    }

    @Test
    void aProvisionedColourTheHistoryDoesNotExpectIsNotChecked() {
        String stray = "stray-" + UUID.randomUUID();
        events.publish(Envelope.of("deploy-agent", stray, new EnvironmentProvisioned("expected-once", Colour.GREEN,
                "main", "0a1b2c3", List.of(1001L), 1200)));

        String deploymentId = provisioned("expected-once", 1001);
        events.awaitEvent(EnvironmentHealthy.class, deploymentId);

        assertThat(EXPECTED_ONCE.requests()).as("the three probes of the deployment that was asked for").isEqualTo(3);
        assertThat(verdictsOf(stray)).isEmpty();
    }

    @Test
    void aColourOfAnAppMissingFromTheAppsFileIsUnhealthyAtOnceSayingSo() {
        String deploymentId = "stranger-" + UUID.randomUUID();

        events.publish(Envelope.of("deploy-agent", deploymentId, new EnvironmentProvisioned("stranger", Colour.GREEN,
                "main", "0a1b2c3", List.of(1101L), 1200)));

        EnvironmentUnhealthy unhealthy = events.awaitEvent(EnvironmentUnhealthy.class, deploymentId,
                Duration.ofSeconds(10)).dataAs(EnvironmentUnhealthy.class);
        assertThat(unhealthy.reason())
                .isEqualTo("No app named 'stranger' is configured in the health-monitor's apps file");
        assertThat(unhealthy.colour()).isEqualTo(Colour.GREEN);
    }

    /** How long after the colour was provisioned the verdict came: the deadline counts from there. */
    private static Duration sinceProvisioned(Envelope verdict) {
        Envelope provisioned = events.events().stream()
                .filter(envelope -> envelope.data() instanceof EnvironmentProvisioned
                        && verdict.deploymentId().equals(envelope.deploymentId()))
                .findFirst().orElseThrow();
        return Duration.between(provisioned.time(), verdict.time());
    }

    private static List<Envelope> verdictsOf(String deploymentId) {
        return events.events().stream()
                .filter(envelope -> deploymentId.equals(envelope.deploymentId()))
                .filter(envelope -> envelope.data() instanceof EnvironmentHealthy
                        || envelope.data() instanceof EnvironmentUnhealthy)
                .toList();
    }

    private static DropletStandIn aPreview() {
        return DropletStandIn.answering(ok()).on("/login", ok("<h1>Sign in</h1>")).on("/api/items", ok("[]"));
    }

    private static String provisioned(String app, long... dropletIds) {
        return Histories.provisioned(events, app, dropletIds);
    }

    private static Path appsFile() throws IOException {
        Path file = Files.createTempFile("health-monitor-apps", ".yml");
        file.toFile().deleteOnExit();
        // where a test counts the probes, a first probe may meet a cold HTTP client or a busy machine: a short
        // timeout would make it fail, by chance
        String patient = "        timeout: 2s\n";
        Files.writeString(file, "bluegreen:\n  apps:\n"
                + app("steady", 101, "10s", patient, STEADY_1.url(), STEADY_2.url())
                + app("shaky", 201, "1s", "", STEADY_PEER.url(), BROKEN.url())
                + app("silent", 301, "1s", "", SILENT.url())
                + app("refusing", 401, "1s", "", REFUSING)
                + app("flapping", 501, "10s", patient, FLAPPING.url())
                + app("body-checked", 601, "1s", "        expected-body: \"database: ok\"\n", APP_BEHIND_NGINX.url(),
                        NGINX_ALONE.url())
                + app("preview", 701, "10s", patient + SMOKE_CHECKS, PREVIEW_1.url(), PREVIEW_2.url())
                + app("half-broken", 801, "10s", patient + SMOKE_CHECKS, HALF_BROKEN_1.url(), HALF_BROKEN_2.url())
                + app("cancelled", 901, "3s", "", CANCELLED.url())
                + app("expected-once", 1001, "10s", patient, EXPECTED_ONCE.url()));
        return file;
    }

    /**
     * An app whose green droplets answer at {@code urls}, numbered from {@code firstId}; {@code moreHealth} adds
     * health settings, as YAML lines.
     */
    private static String app(String name, int firstId, String deadline, String moreHealth, String... urls) {
        StringBuilder green = new StringBuilder();
        for (int i = 0; i < urls.length; i++) {
            green.append("          - {id: ").append(firstId + i).append(", ssh: \"127.0.0.1:22\", http: \"")
                    .append(urls[i]).append("\"}\n");
        }
        return "    " + name + ":\n"
                + "      load-balancer-id: lb-" + name + "\n"
                + "      repository: https://git.example.com/" + name + ".git\n"
                + "      droplets:\n"
                + "        blue:\n"
                + "          - {id: " + (firstId + 50) + ", ssh: \"127.0.0.1:22\", http: \"http://127.0.0.1:9\"}\n"
                + "        green:\n" + green
                + "      health:\n"
                + "        path: /healthz\n"
                + "        interval: 100ms\n"
                + (moreHealth.contains("timeout:") ? "" : "        timeout: 200ms\n")
                + "        successes-in-a-row: 3\n"
                + "        deadline: " + deadline + "\n"
                + moreHealth;
    }
}
