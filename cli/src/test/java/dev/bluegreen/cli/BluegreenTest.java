package dev.bluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeCodec;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PreviewDroplet;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.TrafficSwitched;

/** The CLI against a JDK HTTP server standing in for the gateway, answering as the gateway does. */
class BluegreenTest {

    private static final String TOKEN = "cli-test-token-81f2";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final CountDownLatch testEnded = new CountDownLatch(1);
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private HttpServer server;

    record Recorded(String method, String uri, String authorization, String lastEventId, String body) {
    }

    record Answer(int status, String contentType, String body) {
    }

    @BeforeEach
    void startGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // a stream held open must not hold up the requests beside it
        server.setExecutor(handlers);
        server.start();
    }

    @AfterEach
    void stopGateway() {
        testEnded.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void deployPostsTheRefWithTheTokenAndSaysWhichDeploymentItStarted() {
        answers.put("POST /api/apps/shop/deployments", json(202,
                "{\"deploymentId\":\"d-1\",\"app\":\"shop\",\"ref\":\"v2\",\"events\":\"/api/events?app=shop\"}"));

        int exit = run(Map.of("BLUEGREEN_TOKEN", TOKEN), "--gateway", gatewayUrl(), "deploy", "shop", "v2",
                "--requested-by", "alice");

        assertThat(exit).isZero();
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(request.body()).isEqualTo("{\"ref\":\"v2\",\"requestedBy\":\"alice\"}");
        });
        assertThat(out.toString()).contains("Requested: deployment d-1 of shop (v2).",
                "Follow it with: bluegreen watch d-1");
    }

    @Test
    void rollbackAndPromoteTakeTheGatewayAndTokenFromTheEnvironment() {
        answers.put("POST /api/apps/shop/rollbacks", json(202, "{\"deploymentId\":\"r-1\",\"app\":\"shop\"}"));
        answers.put("POST /api/apps/shop/promotions", json(202, "{\"deploymentId\":\"d-7\",\"app\":\"shop\"}"));
        Map<String, String> environment = Map.of("BLUEGREEN_GATEWAY", gatewayUrl(), "BLUEGREEN_TOKEN", TOKEN);

        assertThat(run(environment, "rollback", "shop", "--reason", "checkout is slow")).isZero();
        assertThat(run(environment, "promote", "shop", "d-7")).isZero();

        assertThat(requests).extracting(Recorded::body)
                .containsExactly("{\"reason\":\"checkout is slow\"}", "{\"deploymentId\":\"d-7\"}");
        assertThat(requests).extracting(Recorded::authorization).containsOnly("Bearer " + TOKEN);
    }

    @Test
    void aRefusedRequestPrintsTheGatewaysReasonExitsThreeAndNeverShowsTheToken() {
        answers.put("POST /api/apps/shop/deployments", json(401,
                "{\"error\":\"This request needs a valid token: Authorization: Bearer <token>\"}"));

        int exit = run(Map.of(), "--gateway", gatewayUrl(), "--token", TOKEN, "deploy", "shop", "v2");

        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).contains(
                "bluegreen: This request needs a valid token: Authorization: Bearer <token> (401)");
        assertThat(out.toString() + err.toString()).doesNotContain(TOKEN);
    }

    @Test
    void cancelPostsTheReasonForThatDeploymentAndSaysWhatItAskedFor() {
        answers.put("POST /api/apps/shop/deployments/d-7/cancel", json(202,
                "{\"deploymentId\":\"d-7\",\"app\":\"shop\",\"ref\":\"v3\",\"events\":\"/api/events?app=shop\"}"));

        int exit = run(Map.of("BLUEGREEN_GATEWAY", gatewayUrl(), "BLUEGREEN_TOKEN", TOKEN), "cancel", "shop", "d-7",
                "--reason", "the acceptance tests failed");

        assertThat(exit).isZero();
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.uri()).isEqualTo("/api/apps/shop/deployments/d-7/cancel");
            assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(request.body()).isEqualTo("{\"reason\":\"the acceptance tests failed\"}");
        });
        assertThat(out.toString()).contains("Requested: cancel of deployment d-7 of shop (v3).");
    }

    @Test
    void statusShowsWhatIsLiveWhatEachColourHoldsWhatIsUnderWayAndHowTheLastOneEnded() {
        answers.put("GET /api/apps/shop/status", json(200, """
                {"app":"shop","liveColour":"green","phase":"checking","liveRef":"v2","liveCommit":"4f9c2e1",
                 "colours":{"blue":{"status":"touched","ref":"v3","deploymentId":"d-3"},
                            "green":{"status":"live","ref":"v2","commit":"4f9c2e1","deploymentId":"d-1"}},
                 "current":{"deploymentId":"d-3","kind":"deployment","phase":"checking","target":"blue","ref":"v3",
                            "requestedBy":"carol","requestedAt":"2026-11-27T10:00:00Z",
                            "phaseSince":"2026-11-27T10:00:41Z","promoted":false},
                 "last":{"deploymentId":"d-2","kind":"deployment","result":"cancelled",
                         "reason":"Cancelled by ci while awaiting-approval: tests failed",
                         "at":"2026-11-27T09:30:00Z"},
                 "preview":{"colour":"blue","droplets":[
                   {"dropletId":3164444,"address":"10.10.0.5","url":"http://10.10.0.5:80"},
                   {"dropletId":3164446,"address":"10.10.0.7","url":"http://10.10.0.7:80"}]}}"""));

        assertThat(run(Map.of(), "status", "shop", "--gateway", gatewayUrl())).isZero();

        assertThat(out.toString()).contains("shop: green is live with v2 (4f9c2e1)", "blue:  touched with v3",
                "green: live with v2 (4f9c2e1)",
                "Under way: deployment d-3 of v3 to blue, checking since 2026-11-27T10:00:41Z (asked by carol)",
                "Last ended: deployment d-2 cancelled at 2026-11-27T09:30:00Z: Cancelled by ci while "
                        + "awaiting-approval: tests failed",
                "Preview (blue, no traffic):", "  http://10.10.0.5:80  (droplet 3164444)",
                "  http://10.10.0.7:80  (droplet 3164446)");
    }

    @Test
    void historyShowsHowEachDeploymentWentRefusedOnesWithTheirReason() {
        answers.put("GET /api/apps/shop/deployments?limit=2", json(200, """
                [{"deploymentId":"d-2","app":"shop","kind":"deployment","ref":"broken","requestedBy":"bob",
                  "requestedAt":"2026-11-27T10:00:00Z","outcome":"refused",
                  "reason":"Deployment d-1 of shop is provisioning green.","steps":[]},
                 {"deploymentId":"d-1","app":"shop","kind":"deployment","ref":"v2","requestedBy":"alice",
                  "requestedAt":"2026-11-27T09:00:00Z","outcome":"succeeded","durationMs":49000,"steps":[]}]"""));

        assertThat(run(Map.of(), "--gateway", gatewayUrl(), "history", "shop", "--limit", "2")).isZero();

        assertThat(out.toString()).contains(
                "2026-11-27T10:00:00Z  d-2  deployment broken  by bob  refused: Deployment d-1 of shop is provisioning "
                        + "green.",
                "2026-11-27T09:00:00Z  d-1  deployment v2  by alice  succeeded in 49 s");
    }

    @Test
    void readsSendTheTokenAndHistoryShowsWhoAskedThroughWhichToken() {
        answers.put("GET /api/apps/shop/deployments?limit=2", json(200, """
                [{"deploymentId":"d-2","app":"shop","kind":"deployment","ref":"v3","requestedBy":"alice",
                  "actor":"ci","requestedAt":"2026-11-27T10:00:00Z","outcome":"succeeded","durationMs":41000,
                  "steps":[]},
                 {"deploymentId":"d-1","app":"shop","kind":"deployment","ref":"v2","requestedBy":"ci","actor":"ci",
                  "requestedAt":"2026-11-27T09:00:00Z","outcome":"succeeded","durationMs":49000,"steps":[]}]"""));

        assertThat(run(Map.of("BLUEGREEN_GATEWAY", gatewayUrl(), "BLUEGREEN_TOKEN", TOKEN), "history", "shop",
                "--limit", "2")).isZero();

        assertThat(requests).extracting(Recorded::authorization).containsOnly("Bearer " + TOKEN);
        assertThat(out.toString()).contains("d-2  deployment v3  by alice via ci  succeeded in 41 s",
                "d-1  deployment v2  by ci  succeeded in 49 s");
    }

    @Test
    void watchShowsTheStepsSoFarThenFollowsTheStreamFromTheLastOneAndExitsOneWhenItFails() {
        Envelope provisioningLog = at(5, "deploy-agent", "d-3",
                new DeploymentLog("shop", Colour.GREEN, 102, "install", 0, List.of("Collecting flask"), false));
        Envelope otherDeployment = at(6, "deploy-agent", "d-other",
                new EnvironmentProvisioned("shop", Colour.BLUE, "v9", "abc", List.of(101L), 1_000));
        Envelope failed = at(7, "deploy-agent", "d-3", new ProvisioningFailed("shop", Colour.GREEN, "broken",
                "Step install failed with exit code 1", 102L, "install", 1, "No matching distribution"));
        answers.put("GET /api/deployments/d-3", json(200, """
                {"deploymentId":"d-3","app":"shop","kind":"deployment","ref":"broken","requestedBy":"bob",
                 "requestedAt":"2026-11-27T10:00:00Z","outcome":"running","steps":[
                   {"event":"DeployRequested","time":"2026-11-27T10:00:00Z","source":"gateway","outcome":"ok",
                    "summary":"bob asked to deploy broken","eventId":"e-1"}],
                 "logBatches":0,"lastEventId":"e-1"}"""));
        answers.put("GET /api/events?app=shop", new Answer(200, "text/event-stream",
                ":connected\n\n" + sse(provisioningLog) + ":heartbeat\n\n" + sse(otherDeployment) + sse(failed)));

        int exit = run(Map.of(), "--gateway", gatewayUrl(), "watch", "d-3");

        assertThat(exit).isEqualTo(1);
        assertThat(requests).filteredOn(request -> request.uri().startsWith("/api/events")).singleElement()
                .extracting(Recorded::lastEventId).isEqualTo("e-1");
        assertThat(out.toString()).contains("bob asked to deploy broken", "install on droplet 102",
                "| Collecting flask", "FAILED: Step install failed with exit code 1",
                "Deployment failed.").doesNotContain("v9");
    }

    @Test
    void watchOfADeploymentThatEndsWellExitsZero() {
        Envelope switched = at(9, "traffic-router", "d-4",
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 800));
        answers.put("GET /api/deployments/d-4", json(200, """
                {"deploymentId":"d-4","app":"shop","kind":"deployment","requestedAt":"2026-11-27T10:00:00Z",
                 "outcome":"running","steps":[],"logBatches":0,"lastEventId":"e-9"}"""));
        answers.put("GET /api/events?app=shop", new Answer(200, "text/event-stream", sse(switched)));

        int exit = run(Map.of(), "--gateway", gatewayUrl(), "watch", "d-4");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("traffic moved from blue to green", "Deployment succeeded.");
    }

    @Test
    void watchShowsThePreviewOfADeploymentThatWaitsForPromotionAndHowToPromoteOrRejectIt() {
        Envelope awaiting = at(8, "traffic-router", "d-10", new AwaitingPromotion("shop", Colour.BLUE, Colour.GREEN,
                List.of(PreviewDroplet.of(3164445, "http://10.10.0.6:80"),
                        PreviewDroplet.of(3164447, "http://10.10.0.8:80"))));
        Envelope switched = at(60, "traffic-router", "d-10",
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(3164445L, 3164447L), 800));
        answers.put("GET /api/deployments/d-10", json(200, """
                {"deploymentId":"d-10","app":"shop","kind":"deployment","requestedAt":"2026-11-27T10:00:00Z",
                 "outcome":"running","steps":[],"logBatches":0,"lastEventId":"e-7"}"""));
        answers.put("GET /api/events?app=shop", new Answer(200, "text/event-stream", sse(awaiting) + sse(switched)));

        int exit = run(Map.of(), "--gateway", gatewayUrl(), "watch", "d-10");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains(
                "green is healthy and waits for promotion; preview: http://10.10.0.6:80 http://10.10.0.8:80",
                "To move traffic: bluegreen promote shop d-10", "To reject it:    bluegreen cancel shop d-10",
                "Deployment succeeded.");
    }

    @Test
    void watchAsksForTheStateAgainWhenTheStreamClosesAndEndsWithTheDeployment() {
        answers.put("GET /api/deployments/d-5", json(200, """
                {"deploymentId":"d-5","app":"shop","kind":"deployment","requestedAt":"2026-11-27T10:00:00Z",
                 "outcome":"running","steps":[],"logBatches":0,"lastEventId":"e-1"}"""));
        answers.put("GET /api/events?app=shop", new Answer(200, "text/event-stream", ":connected\n\n"));
        server.createContext("/api/deployments/d-5", exchange -> {
            boolean again = requests.stream().anyMatch(request -> request.uri().startsWith("/api/events"));
            String body = again ? """
                    {"deploymentId":"d-5","app":"shop","kind":"deployment","requestedAt":"2026-11-27T10:00:00Z",
                     "outcome":"failed","reason":"The load balancer did not answer","steps":[],"logBatches":0,
                     "lastEventId":"e-2"}""" : answers.get("GET /api/deployments/d-5").body();
            requests.add(new Recorded("GET", "/api/deployments/d-5", null, null, ""));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(bytes);
            }
        });

        int exit = run(Map.of(), "--gateway", gatewayUrl(), "watch", "d-5");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("Deployment failed. The load balancer did not answer");
    }

    @Test
    void watchOfARefusedDeployExitsOneWithTheRefusalButARefusedPromotionDoesNotEndIt() {
        Envelope promotionRefused = at(3, "traffic-router", "d-6", new RequestRefused("shop", "PromoteRequested",
                "Nothing waits for promotion in deployment d-6 of shop: nothing is under way."));
        Envelope refused = at(4, "deploy-agent", "d-6", new RequestRefused("shop", "DeployRequested",
                "Deployment d-5 of shop is provisioning green."));
        answers.put("GET /api/deployments/d-6", json(200, """
                {"deploymentId":"d-6","app":"shop","kind":"deployment","ref":"v4","requestedAt":"2026-11-27T10:00:00Z",
                 "outcome":"running","steps":[],"logBatches":0,"lastEventId":"e-1"}"""));
        answers.put("GET /api/events?app=shop", new Answer(200, "text/event-stream", sse(promotionRefused)
                + sse(refused)));

        int exit = run(Map.of(), "--gateway", gatewayUrl(), "watch", "d-6");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("the promotion was refused: Nothing waits for promotion",
                "REFUSED: Deployment d-5 of shop is provisioning green.", "Deployment refused.");
    }

    @Test
    void watchOfACancelledDeploymentAsksTheGatewayWhetherTheCancelTookAndExitsOne() {
        Envelope cancel = at(8, "gateway", "d-8", new CancelRequested("shop", "ci", "the tests failed"));
        // The stream stays open after the cancel, as the gateway's does: only the gateway's answer ends the watch.
        server.createContext("/api/events", exchange -> {
            requests.add(new Recorded("GET", exchange.getRequestURI().toString(), null, null, ""));
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream stream = exchange.getResponseBody();
            stream.write(sse(cancel).getBytes(StandardCharsets.UTF_8));
            stream.flush();
            awaitQuietly(testEnded);
        });
        server.createContext("/api/deployments/d-8", exchange -> {
            boolean cancelSent = requests.stream().anyMatch(request -> request.uri().startsWith("/api/events"));
            requests.add(new Recorded("GET", "/api/deployments/d-8", null, null, ""));
            respond(exchange, json(200, """
                    {"deploymentId":"d-8","app":"shop","kind":"deployment","requestedAt":"2026-11-27T10:00:00Z",
                     "outcome":"%s","reason":"Cancelled by ci while checking: the tests failed","steps":[],
                     "logBatches":0,"lastEventId":"e-1"}""".formatted(cancelSent ? "cancelled" : "running")));
        });

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run(Map.of(), "--gateway",
                gatewayUrl(), "watch", "d-8"));

        assertThat(exit).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(1);
        assertThat(out.toString()).contains("ci asked to cancel it: the tests failed",
                "Deployment cancelled. Cancelled by ci while checking: the tests failed");
    }

    @Test
    void watchOfADeploymentThatExpiredExitsOne() {
        answers.put("GET /api/deployments/d-9", json(200, """
                {"deploymentId":"d-9","app":"shop","kind":"deployment","requestedAt":"2026-11-27T10:00:00Z",
                 "outcome":"expired","reason":"Nobody promoted deployment d-9 of shop within 24 h.",
                 "steps":[{"event":"DeploymentExpired","time":"2026-11-28T10:00:00Z","source":"gateway",
                           "outcome":"failed","summary":"expired while awaiting-approval","eventId":"e-5"}],
                 "logBatches":0,"lastEventId":"e-5"}"""));

        int exit = run(Map.of(), "--gateway", gatewayUrl(), "watch", "d-9");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("expired while awaiting-approval",
                "Deployment expired. Nobody promoted deployment d-9 of shop within 24 h.");
        assertThat(requests).noneMatch(request -> request.uri().startsWith("/api/events"));
    }

    @Test
    void aWrongCommandLineExitsTwoWithWhatIsWrongAndTheUsage() {
        assertThat(run(Map.of(), "deploy", "shop")).isEqualTo(2);
        assertThat(run(Map.of(), "launch", "shop")).isEqualTo(2);
        assertThat(run(Map.of(), "history", "shop", "--limit", "-1")).isEqualTo(2);
        assertThat(run(Map.of(), "cancel", "shop")).isEqualTo(2);
        assertThat(run(Map.of(), "status", "shop", "--wait")).isEqualTo(2);
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("bluegreen: Missing required parameter: '<ref>'",
                "Usage: bluegreen deploy", "bluegreen: Unmatched arguments from index 0: 'launch', 'shop'",
                "--limit must be a number from 1 to 9999", "Missing required parameter: '<deployment-id>'",
                "Usage: bluegreen cancel", "Unknown option: '--wait'", "bluegreen: Name a command",
                "Usage: bluegreen [");
        assertThat(requests).isEmpty();
    }

    @Test
    void helpListsTheCommandsAndTheirOptionsAndSucceeds() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(run(Map.of(), "help", "deploy")).isZero();
        assertThat(run(Map.of(), "history", "--help")).isZero();

        assertThat(out.toString()).contains("Usage: bluegreen [", "deploy", "rollback", "promote", "cancel", "status",
                "history", "watch", "generate-completion", "Exit codes: 0 done",
                "Usage: bluegreen deploy [-h] [--watch]", "<app> <ref>", "--requested-by=NAME", "--limit=N",
                "default 10");
        assertThat(err.toString()).isEmpty();
        assertThat(requests).isEmpty();
    }

    @Test
    void generateCompletionWritesABashScriptThatCompletesTheCommands() {
        assertThat(run(Map.of(), "generate-completion")).isZero();

        assertThat(out.toString()).contains("complete -F _complete_bluegreen", "deploy", "rollback", "--requested-by");
    }

    private int run(Map<String, String> environment, String... args) {
        return Bluegreen.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String gatewayUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static Envelope at(int second, String source, String deploymentId, PipelineEvent event) {
        return Envelope.of(source, deploymentId, event, Instant.parse("2026-11-27T10:00:00Z").plusSeconds(second));
    }

    private String sse(Envelope envelope) {
        return "id:" + envelope.id() + "\nevent:" + envelope.type() + "\ndata:" + codec.writeString(envelope) + "\n\n";
    }

    private static Answer json(int status, String body) {
        return new Answer(status, "application/json", body);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String uri = exchange.getRequestURI().toString();
        requests.add(new Recorded(exchange.getRequestMethod(), uri,
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Last-Event-ID"), body));
        Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + uri,
                json(404, "{\"error\":\"not found\"}"));
        respond(exchange, answer);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(bytes);
        }
    }
}
