package dev.bluegreen.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.testing.FreePorts;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The gateway's heap at rest does not grow with the number of deployments it has seen: its history keeps the last
 * {@code status.history} of each app, its event feed the last {@code stream.replay-buffer} events, and nothing else
 * may keep one entry per deployment or per request.
 * <p>
 * The gateway runs as a JVM of its own with the image's collector and heap (serial, 128 MB), so that its heap is
 * its own; after each round {@code jcmd GC.run} makes a full collection and its {@code jvm.memory.used} metric is
 * then its live heap. Two rounds of requests fill every bounded buffer; a third must not add more than
 * {@link #GROWTH_BOUND}. The second test keeps every deployment instead (a history of 100,000), the kind of leak this
 * guards against, and shows that the same measurement sees it: over a round twice as long, so that a leak of one
 * small entry per deployment (from about 350 bytes) lands clearly past the bound.
 */
class IdleHeapTest {

    /**
     * Live heap the gateway may add over one more round of {@link #REQUESTS} requests, after two. Measured on a 2-core
     * machine: 1.1 to 1.5 MB a round (400 to 520 bytes a request, though every structure we know of is bounded: where
     * it goes is not found yet). A gateway that keeps every deployment added 660 to 1,200 bytes a deployment (3.4 to
     * 3.6 MB a round, once 1.9 MB, and 6.1 MB over a double round), so the leak test measures over a double round:
     * at the lowest of those rates about 3.9 MB, well past this bound.
     */
    static final long GROWTH_BOUND = 2560 * 1024;

    /** Half the heap the image gives a service (128 MB); measured at 41 to 43 MB after 6,000 to 9,000 requests. */
    static final long IDLE_BOUND = 64 * 1024 * 1024;

    /** More than the history (100 an app) and the replay buffer (1000 events) hold, several times over. */
    static final int REQUESTS = 3000;

    private static final String TOKEN = "heap-test-token-5c1f";
    private static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    @Test
    void idleHeapAfterThousandsOfDeploymentsStaysWithinItsBound() throws Exception {
        String app = RunningGateway.newApp("heap");
        try (GatewayJvm gateway = GatewayJvm.start(directory, app)) {
            long filled = fill(gateway, app);
            gateway.deploy(app, REQUESTS);
            long after = gateway.liveHeap();
            report("history of 100 an app", filled, REQUESTS, after);

            assertThat(after - filled).as("live heap added by %d more deployments (%d then %d bytes)", REQUESTS,
                    filled, after).isLessThan(GROWTH_BOUND);
            assertThat(after).as("live heap at rest").isLessThan(IDLE_BOUND);
        }
    }

    @Test
    void aGatewayThatKeepsEveryDeploymentBreaksTheBound() throws Exception {
        String app = RunningGateway.newApp("leak");
        try (GatewayJvm gateway = GatewayJvm.start(directory, app, "--bluegreen.gateway.status.history=100000")) {
            long filled = fill(gateway, app);
            gateway.deploy(app, 2 * REQUESTS);
            long after = gateway.liveHeap();
            report("every deployment kept", filled, 2 * REQUESTS, after);

            assertThat(after - filled).as("live heap added by %d more deployments, all kept (%d then %d bytes)",
                    2 * REQUESTS, filled, after).isGreaterThan(GROWTH_BOUND);
        }
    }

    /**
     * Two rounds of {@link #REQUESTS}, more than every bounded buffer holds, so that the next round measures growth
     * alone; returns the live heap after them, and prints it after the first for the record.
     */
    private static long fill(GatewayJvm gateway, String app) throws IOException, InterruptedException {
        gateway.deploy(app, REQUESTS);
        System.out.printf("Live heap after the first round: %d KB%n", gateway.liveHeap() / 1024);
        gateway.deploy(app, REQUESTS);
        return gateway.liveHeap();
    }

    /** The figures behind the bounds, in the test's output file (target/surefire-reports). */
    private static void report(String gateway, long filled, int more, long after) {
        System.out.printf("Gateway with %s: live heap %d KB after %d deployments, %d KB after %d more (%+d KB)%n",
                gateway, filled / 1024, 2 * REQUESTS, after / 1024, more, (after - filled) / 1024);
    }

    /** A gateway started from the test's class path as its own JVM, on a free port, for one app of its own. */
    private record GatewayJvm(Process process, String url, Path log) implements AutoCloseable {

        static GatewayJvm start(Path directory, String app, String... extra) throws IOException {
            Path appsFile = directory.resolve("apps.yml");
            Files.writeString(appsFile, """
                    bluegreen:
                      apps:
                        %s:
                          load-balancer-id: 6fe7ac8b-495b-4884-9a69-1050c6793cd8
                          repository: https://github.com/acme/heap.git
                          droplets:
                            blue: [ { id: 401, ssh: "127.0.0.1:2401", http: "http://127.0.0.1:8401" } ]
                            green: [ { id: 402, ssh: "127.0.0.1:2402", http: "http://127.0.0.1:8402" } ]
                    """.formatted(app));
            int port = FreePorts.any();
            Path log = directory.resolve("gateway.log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx128m",
                    "-cp", System.getProperty("java.class.path"), GatewayApplication.class.getName(),
                    "--bluegreen.config=" + appsFile,
                    "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                    "--server.port=" + port,
                    "--spring.main.banner-mode=off",
                    "--logging.level.org.apache.kafka=warn",
                    "--bluegreen.lifecycle.application-id=gateway-" + app,
                    "--bluegreen.gateway.tokens.heap.secret=" + TOKEN,
                    "--bluegreen.gateway.tokens.heap.apps=" + app));
            command.addAll(List.of(extra));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            GatewayJvm gateway = new GatewayJvm(process, "http://127.0.0.1:" + port, log);
            Awaitility.await("the gateway ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        assertThat(process.isAlive()).as("gateway running; see %s", log).isTrue();
                        return get("/actuator/health/readiness", gateway).contains("\"UP\"");
                    });
            return gateway;
        }

        /**
         * Asks for {@code count} deployments of {@code app}, 16 at a time, the last one alone; each must be answered
         * 202. Returns once the last one shows in the history: the app's events are in order, so the gateway has then
         * read every one before it.
         */
        void deploy(String app, int count) {
            for (int sent = 0; sent < count - 1; sent += 16) {
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = sent; i < Math.min(count - 1, sent + 16); i++) {
                    answers.add(requestDeployment(app, "v" + i));
                }
                answers.forEach(answer -> assertThat(answer.join().statusCode()).as(answer.join().body())
                        .isEqualTo(202));
            }
            String last = "last-" + System.nanoTime();
            assertThat(requestDeployment(app, last).join().statusCode()).isEqualTo(202);
            Awaitility.await("the last request in the history").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> get("/api/apps/" + app + "/deployments?limit=1", this).contains(last));
        }

        private CompletableFuture<HttpResponse<String>> requestDeployment(String app, String ref) {
            return http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/api/apps/" + app + "/deployments"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ref\":\"" + ref + "\",\"requestedBy\":\"heap\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The live heap: used heap right after a full collection (jcmd GC.run, a full collection with Serial). */
        long liveHeap() throws IOException, InterruptedException {
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
            assertThat(gc.waitFor(60, TimeUnit.SECONDS)).as("jcmd GC.run done").isTrue();
            assertThat(gc.exitValue()).as(new String(gc.getInputStream().readAllBytes())).isZero();
            return get("/actuator/prometheus", this).lines()
                    .filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        }

        private static String get(String path, GatewayJvm gateway) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(gateway.url + path))
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
