package dev.bluegreen.sandbox.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.sandbox.SandboxKeys;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.HealthCheck;
import dev.bluegreen.sandbox.digitalocean.LoadBalancerSettings;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.sandbox.loadbalancer.LoadBalancerProxy;
import dev.bluegreen.sandbox.loadbalancer.TinyDroplet;

/**
 * The history as a chaos test reads it, with real parts: a droplet whose commands arrive at a real SSH server and
 * whose app (a {@link TinyDroplet}, its health switched on and off by the test) a real balancer proxy checks and
 * proxies to.
 */
class SandboxHistoryTest {

    /** Every 200 ms at the sandbox's time scale, 2 passes to join, 2 failures to leave. */
    private static final HealthCheck CHECK = new HealthCheck("http", 80, "/healthz", 3, 3, 2, 2);
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path folder;

    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator(SimulatorSettings.SANDBOX);
    private final SandboxHistory history = simulator.history();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> running = new ArrayList<>();
    private SandboxKeys keys;
    private SshDroplet sshServer;
    private TinyDroplet app;
    private long droplet;

    @BeforeEach
    void startDroplet() {
        keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        sshServer = started(SshDroplet.start(folder.resolve("web-1"), keys.publicKey()));
        app = started(TinyDroplet.saying("web-1"));
        droplet = simulator.addDroplet("web-1", app.http(), List.of("web"));
        sshServer.recordCommandsIn(history, droplet);
    }

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(running);
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
    }

    @Test
    void aCommandOnADropletNoBalancerTargetsIsNoCommandWhileServing() throws IOException {
        long other = simulator.addDroplet("web-2", started(TinyDroplet.saying("web-2")).http(), List.of("web"));
        String lb = serving(other);

        assertThat(ssh("echo idle")).isZero();

        assertThat(history.commandsOn(droplet)).singleElement().satisfies(command -> {
            assertThat(command.command()).isEqualTo("echo idle");
            assertThat(command.dropletName()).isEqualTo("web-1");
            assertThat(command.outcome()).isEqualTo("exit 0");
            assertThat(command.ended()).isNotNull();
            assertThat(command.started().before(command.ended())).isTrue();
        });
        assertThat(history.attached(lb)).containsExactly(other);
        assertThat(history.commandsWhileServing()).isEmpty();
    }

    @Test
    void aCommandOnAnAttachedHealthyDropletIsReportedWithTheDropletTheCommandAndTheTimes() throws IOException {
        String lb = serving(droplet);
        Moment before = history.now();

        assertThat(ssh("sleep 0.1; exit 3")).isEqualTo(3);

        assertThat(history.commandsWhileServing()).singleElement().satisfies(found -> {
            CommandRun command = found.command();
            assertThat(command.dropletId()).isEqualTo(droplet);
            assertThat(command.command()).isEqualTo("sleep 0.1; exit 3");
            assertThat(command.exitStatus()).isEqualTo(3);
            assertThat(before.before(command.started())).isTrue();
            assertThat(command.span().length(history.now())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(found.servedDuring()).singleElement().satisfies(serving -> {
                assertThat(serving.entryPointId()).isEqualTo(lb);
                assertThat(serving.healthChecked()).isTrue();
                assertThat(serving.span().from().before(command.started())).isTrue();
                assertThat(serving.span().until()).as("it still serves").isNull();
            });
            assertThat(found.description()).contains("Droplet web-1 (" + droplet + ") ran `sleep 0.1; exit 3` from ",
                    "(exit 3) while load balancer web (" + lb + ") had it attached and healthy from ", "and still");
        });
    }

    @Test
    void aCommandRunAfterTheDropletWasDetachedIsNoCommandWhileServing() throws IOException {
        String lb = serving(droplet);

        simulator.detachDroplets(lb, List.of(droplet));
        assertThat(ssh("echo deploying")).isZero();

        assertThat(history.commandsWhileServing()).isEmpty();
        assertThat(history.attachments(lb)).last().satisfies(change -> {
            assertThat(change.attached()).isEmpty();
            assertThat(change.removed()).containsExactly(droplet);
            assertThat(change.cause()).isEqualTo("droplets [" + droplet + "] were removed by id");
        });
        assertThat(history.healthChanges(lb)).last().isEqualTo(new HealthChange(
                last(history.attachments(lb)).at(), droplet, false, "it left the load balancer"));
    }

    @Test
    void aCommandStillRunningWhenItsDropletStartsServingIsReportedAndItsKillIsRecorded() throws IOException {
        String lb = serving();
        try (SSHClient ssh = connect(); Session session = ssh.startSession()) {
            session.exec("sleep 30");
            await().atMost(WITHIN).until(() -> !history.commandsOn(droplet).isEmpty());

            simulator.attachDroplets(lb, List.of(droplet));
            awaitHealthy(lb, droplet);

            assertThat(history.commandsWhileServing()).singleElement().satisfies(found -> {
                assertThat(found.command().outcome()).isEqualTo("running");
                assertThat(found.command().started().before(found.servedDuring().get(0).span().from()))
                        .isTrue();
            });
        }

        await().atMost(WITHIN).until(() -> history.commandsOn(droplet).get(0).ended() != null);
        assertThat(history.commandsWhileServing()).singleElement().satisfies(found -> {
            assertThat(found.command().outcome()).startsWith("killed: its SSH channel closed before it ended");
            assertThat(found.description()).contains("`sleep 30`", "killed");
        });
        assertThat(history.commandsWhileServingCount()).isOne();
    }

    @Test
    void aBalancerWhoseOnlyDropletTurnsUnhealthyShowsATimeWithoutAHealthyDropletUntilItRecovers() {
        String lb = serving(droplet);
        assertThat(history.timesWithoutHealthyDroplet(lb)).as("the start, before the first healthy droplet").isEmpty();

        app.healthy(false);
        await().atMost(WITHIN).until(() -> !history.timesWithoutHealthyDroplet(lb).isEmpty());
        assertThat(history.timesWithoutHealthyDroplet(lb)).singleElement()
                .satisfies(span -> assertThat(span.until()).isNull());

        app.healthy(true);
        await().atMost(WITHIN).untilAsserted(() -> assertThat(history.timesWithoutHealthyDroplet(lb)).singleElement()
                .satisfies(span -> assertThat(span.until()).isNotNull()));
        assertThat(history.healthChanges(lb)).extracting(HealthChange::dropletId, HealthChange::healthy)
                .containsExactly(tuple(droplet, true),
                        tuple(droplet, false),
                        tuple(droplet, true));
    }

    @Test
    void failedRequestsThroughTheBalancerAreCountedWithTheirStatusAndDroplet() throws Exception {
        long flaky = simulator.addDroplet("flaky", started(TinyDroplet.handling(exchange -> TinyDroplet.answer(
                exchange, exchange.getRequestURI().getPath().equals("/broken") ? 500 : 200, "hi"))).http(),
                List.of());
        String lb = serving(flaky);
        LoadBalancerProxy proxy = proxy(lb);

        List<Integer> statuses = new ArrayList<>();
        for (String path : List.of("/", "/broken", "/", "/broken", "/")) {
            statuses.add(get(proxy, path));
        }
        simulator.detachDroplets(lb, List.of(flaky));
        statuses.add(get(proxy, "/"));

        assertThat(statuses).containsExactly(200, 500, 200, 500, 200, 503);
        RequestTally tally = history.requests(lb);
        assertThat(tally.requests()).isEqualTo(6);
        assertThat(tally.failed()).isEqualTo(3);
        assertThat(tally.abandoned()).isZero();
        assertThat(tally.windows().stream().mapToLong(RequestWindow::requests).sum()).isEqualTo(6);
        assertThat(tally.windows().stream().mapToLong(RequestWindow::failed).sum()).isEqualTo(3);
        assertThat(history.failedRequests(lb)).extracting(FailedRequest::path, FailedRequest::status,
                        FailedRequest::dropletId)
                .containsExactly(tuple("/broken", 500, flaky),
                        tuple("/broken", 500, flaky),
                        tuple("/", 503, null));
    }

    @Test
    void taggingAndUntaggingChangesWhatATaggedBalancerTargetsAndSaysWhy() {
        String lb = simulator.addTaggedLoadBalancer("web-tagged", "web-live");

        simulator.tagDroplets("web-live", List.of(droplet));
        assertThat(history.attached(lb)).containsExactly(droplet);
        simulator.untagDroplets("web-live", List.of(droplet));

        assertThat(history.attachments(lb)).extracting(AttachmentChange::attached, AttachmentChange::cause)
                .containsExactly(
                        tuple(List.of(droplet),
                                "droplets [" + droplet + "] were given tag web-live"),
                        tuple(List.of(),
                                "droplets [" + droplet + "] were stripped of tag web-live"));
    }

    @Test
    void aDropletAReservedIpPointsAtServesFromTheMomentItsAssignActionCompletes() throws IOException {
        String ip = "192.0.2.10";
        simulator.addReservedIp(ip, null);
        simulator.assignReservedIp(ip, droplet);
        await().atMost(WITHIN).until(() -> simulator.reservedIp(ip).orElseThrow().droplet().isPresent());

        assertThat(ssh("echo deploying")).isZero();

        assertThat(history.attachments(ip)).last().satisfies(change -> {
            assertThat(change.attached()).containsExactly(droplet);
            assertThat(change.cause()).contains("(assign_ip) of reserved IP " + ip + " completed");
        });
        assertThat(history.commandsWhileServing()).singleElement().satisfies(found -> {
            assertThat(found.servedDuring().get(0).healthChecked()).isFalse();
            assertThat(found.description()).contains("while reserved IP " + ip + " pointed at it from ");
        });
    }

    @Test
    void askedAboutOneEntryPointItIgnoresTrafficFromAnother() throws IOException {
        String lb = serving(droplet);
        String ip = "192.0.2.10";
        simulator.addReservedIp(ip, null);

        assertThat(ssh("echo deploying")).isZero();

        assertThat(history.commandsWhileServing()).hasSize(1);
        assertThat(history.commandsWhileServing(lb)).singleElement()
                .satisfies(found -> assertThat(found.servedDuring()).extracting(ServingSpan::entryPointId)
                        .containsExactly(lb));
        assertThat(history.commandsWhileServing(ip)).as("the reserved IP points at no droplet").isEmpty();
    }

    /** A balancer by droplet ids with {@link #CHECK}, once every droplet it targets is healthy. */
    private String serving(Long... dropletIds) {
        String lb = simulator.addLoadBalancer(LoadBalancerSettings.byDropletIds("web", DigitalOceanSimulator.REGION,
                List.of(dropletIds)).withHealthCheck(CHECK));
        proxy(lb);
        if (dropletIds.length > 0) {
            awaitHealthy(lb, dropletIds);
        }
        return lb;
    }

    private LoadBalancerProxy proxy(String lb) {
        return running.stream().filter(LoadBalancerProxy.class::isInstance).map(LoadBalancerProxy.class::cast)
                .filter(proxy -> proxy.loadBalancerId().equals(lb)).findFirst()
                .orElseGet(() -> started(LoadBalancerProxy.start(simulator, lb, 0)));
    }

    private void awaitHealthy(String lb, Long... dropletIds) {
        await().atMost(WITHIN).untilAsserted(() -> assertThat(simulator.healthyDropletIdsOf(lb))
                .contains(dropletIds));
    }

    private int get(LoadBalancerProxy proxy, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(proxy.url().resolve(path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Runs a command on the droplet over SSH; its exit status. */
    private int ssh(String command) throws IOException {
        try (SSHClient ssh = connect(); Session session = ssh.startSession();
                Session.Command exec = session.exec(command)) {
            exec.getInputStream().readAllBytes();
            exec.join(10, TimeUnit.SECONDS);
            return exec.getExitStatus();
        }
    }

    private SSHClient connect() throws IOException {
        SSHClient ssh = new SSHClient();
        try {
            ssh.addHostKeyVerifier(sshServer.hostKeyFingerprint());
            ssh.connect(sshServer.sshHost(), sshServer.sshPort());
            ssh.authPublickey(SshDroplet.USER, ssh.loadKeys(keys.privateKeyFile().toString()));
            return ssh;
        } catch (IOException | RuntimeException e) {
            ssh.close();
            throw e;
        }
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private <T extends AutoCloseable> T started(T closeable) {
        running.add(closeable);
        return closeable;
    }
}
