package dev.bluegreen.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.Topics;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The usual bad inputs, thrown at every entry point of the gateway: webhooks, deploy, rollback, promote and cancel
 * requests, and the event stream. Each is answered with a clear 4xx, nothing reaches Kafka, and the gateway goes on
 * answering everyone else.
 */
class HostileInputTest {

    private static final ParameterizedTypeReference<Map<String, String>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {
            };
    /** Whoever asks in these tests: no event may ever name them. */
    private static final String HOSTILE = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration SLOW_CLIENT_LIMIT = Duration.ofSeconds(2);

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog events;

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.request-timeout=" + SLOW_CLIENT_LIMIT.toMillis() + "ms",
                "--server.netty.idle-timeout=" + SLOW_CLIENT_LIMIT.toMillis() + "ms");
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }

    @AfterAll
    static void stopGateway() {
        if (events != null) {
            events.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** One way in, with a request that would be accepted for {@code app}. */
    private record EntryPoint(String name, HttpMethod method, String path, String body, String app) {

        boolean takesJson() {
            return method == HttpMethod.POST;
        }

        URI uri(String rawApp) {
            return URI.create(gateway.baseUrl() + path.formatted(rawApp));
        }
    }

    private static final List<EntryPoint> ENTRY_POINTS = List.of(
            new EntryPoint("deploy", HttpMethod.POST, "/api/apps/%s/deployments",
                    "{\"ref\":\"v2\",\"requestedBy\":\"" + HOSTILE + "\"}", "shop"),
            new EntryPoint("rollback", HttpMethod.POST, "/api/apps/%s/rollbacks",
                    "{\"requestedBy\":\"" + HOSTILE + "\",\"reason\":\"slow\"}", "shop"),
            new EntryPoint("promote", HttpMethod.POST, "/api/apps/%s/promotions",
                    "{\"deploymentId\":\"d-1\",\"requestedBy\":\"" + HOSTILE + "\"}", "shop"),
            new EntryPoint("cancel", HttpMethod.POST, "/api/apps/%s/deployments/d-1/cancel",
                    "{\"requestedBy\":\"" + HOSTILE + "\"}", "shop"),
            new EntryPoint("github", HttpMethod.POST, "/api/webhooks/github/%s", """
                    {"ref":"refs/heads/main","before":"0a1b2c3d4e5f","after":"%s",
                     "pusher":{"name":"%s"}}""".formatted(sha(), HOSTILE), "shop"),
            new EntryPoint("gitlab", HttpMethod.POST, "/api/webhooks/gitlab/%s", """
                    {"object_kind":"push","ref":"refs/heads/trunk","before":"%s","after":"%s","checkout_sha":"%s",
                     "user_username":"%s","project":{"web_url":"https://gitlab.com/acme/wiki"}}"""
                    .formatted(sha(), sha(), sha(), HOSTILE), "wiki"),
            new EntryPoint("events", HttpMethod.GET, "/api/events?app=%s", "", "shop"));

    /** App names as they come in a path, percent-encoded: traversal, a NUL, look-alikes, bidi, emoji, CRLF. */
    private static final List<String> ODD_APP_NAMES = List.of("..%2F..%2Fetc%2Fpasswd", "%2E%2E", "..", "shop%00",
            "sh%D0%BEp", "shop%E2%80%AE", "%E2%80%8Bshop", "%F0%9F%92%A5", "shop%0D%0AX-Forged:%201",
            "a".repeat(300));

    @Test
    void oddAppNamesAreAClear4xxAtEveryEntryPoint() {
        Instant start = Instant.now();
        for (EntryPoint entry : ENTRY_POINTS) {
            for (String app : ODD_APP_NAMES) {
                EntityExchangeResult<String> answer = send(entry, entry.uri(app), MediaType.APPLICATION_JSON,
                        entry.body(), Map.of());
                assertThat(answer.getStatus().is4xxClientError()).as("%s for app %s: %s", entry.name(), app,
                        answer.getResponseBody()).isTrue();
                assertThat(answer.getResponseBody()).as("%s for app %s", entry.name(), app).startsWith("{\"error\":");
            }
        }
        assertNothingPublishedAndStillAnswering(start);
    }

    @Test
    void oversizeHeadersAreA4xxAtEveryEntryPoint() {
        Instant start = Instant.now();
        for (EntryPoint entry : ENTRY_POINTS) {
            EntityExchangeResult<String> answer = send(entry, entry.uri(entry.app()), MediaType.APPLICATION_JSON,
                    entry.body(), Map.of("X-Padding", "a".repeat(20_000)));
            assertThat(answer.getStatus().is4xxClientError()).as(entry.name()).isTrue();
        }
        assertNothingPublishedAndStillAnswering(start);
    }

    @Test
    void oversizeBodiesAre413AtEveryEntryPointThatTakesOne() {
        Instant start = Instant.now();
        String huge = "{\"ref\":\"v2\",\"requestedBy\":\"" + HOSTILE + "a".repeat(2_000_000) + "\"}";
        for (EntryPoint entry : ENTRY_POINTS.stream().filter(EntryPoint::takesJson).toList()) {
            send(entry, entry.uri(entry.app()), MediaType.APPLICATION_JSON, huge, Map.of());
            assertThat(send(entry, entry.uri(entry.app()), MediaType.APPLICATION_JSON, huge, Map.of()).getStatus()
                    .value()).as(entry.name()).isEqualTo(413);
        }
        assertNothingPublishedAndStillAnswering(start);
    }

    @Test
    void bodiesOfAnotherContentTypeAreAClear4xx() {
        Instant start = Instant.now();
        for (EntryPoint entry : ENTRY_POINTS.stream().filter(EntryPoint::takesJson).toList()) {
            for (MediaType type : List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_FORM_URLENCODED,
                    MediaType.APPLICATION_XML)) {
                EntityExchangeResult<String> answer = send(entry, entry.uri(entry.app()), type,
                        "payload=" + entry.body(), Map.of());
                assertThat(answer.getStatus().value()).as("%s as %s", entry.name(), type).isIn(400, 415);
                assertThat(answer.getResponseBody()).as("%s as %s", entry.name(), type).startsWith("{\"error\":")
                        .doesNotContain("bodyType", "dev.bluegreen");
            }
        }
        assertNothingPublishedAndStillAnswering(start);
    }

    @Test
    void truncatedDeeplyNestedOrDuplicateKeyJsonIs400AtEveryEntryPointThatTakesJson() {
        Instant start = Instant.now();
        String deep = "{\"ref\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        for (EntryPoint entry : ENTRY_POINTS.stream().filter(EntryPoint::takesJson).toList()) {
            String truncated = entry.body().substring(0, entry.body().length() - 3);
            String duplicated = entry.body().replaceFirst("\\{", "{\"requestedBy\":\"ci\",\"ref\":\"refs/heads/main\","
                    + "\"deploymentId\":\"d-2\",\"reason\":\"x\",\"user_username\":\"x\",\"pusher\":{},");
            for (String body : List.of(truncated, deep, duplicated, "[]", "null", "\"ref\"", "")) {
                if ((body.isEmpty() || body.equals("null")) && List.of("rollback", "cancel").contains(entry.name())) {
                    continue; // their body is optional: without one, they are valid requests
                }
                EntityExchangeResult<String> answer = send(entry, entry.uri(entry.app()), MediaType.APPLICATION_JSON,
                        body, Map.of());
                assertThat(answer.getStatus().value()).as("%s with %.60s: %s", entry.name(), body,
                        answer.getResponseBody()).isEqualTo(400);
                assertThat(answer.getResponseBody()).as("%s with %.60s", entry.name(), body)
                        .startsWith("{\"error\":").doesNotContain("Exception", "tools.jackson", "\tat ");
            }
        }
        assertNothingPublishedAndStillAnswering(start);
    }

    @Test
    void aClientThatSendsPartOfItsBodyOrNothingAtAllIsCutOffWhileOthersAreAnswered() throws Exception {
        Instant start = Instant.now();
        try (Socket stalledBody = connect(); Socket silent = connect()) {
            String body = "{\"ref\":\"v2\",\"requestedBy\":\"" + HOSTILE + "\"}";
            OutputStream out = stalledBody.getOutputStream();
            out.write(("POST /api/apps/shop/deployments HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + RunningGateway.SHOP_TOKEN + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (body.length() + 50) + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // Meanwhile, everyone else is answered.
            gateway.reader().get().uri("/api/apps/shop/deployments?limit=1").exchange().expectStatus().isOk();

            assertThat(answerOrClose(stalledBody)).as("what the stalled request got").startsWith("HTTP/1.1 408")
                    .contains("{\"error\":\"The request's body did not arrive in time: send all of it within 2000 ms\"}");
            assertThat(answerOrClose(silent)).as("what the silent connection got").isEmpty();
        }
        assertNothingPublishedAndStillAnswering(start);
    }

    private static Socket connect() throws Exception {
        URI base = URI.create(gateway.baseUrl());
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        // well past the gateway's limit: a gateway that never cuts the client off fails the read
        socket.setSoTimeout((int) SLOW_CLIENT_LIMIT.multipliedBy(5).toMillis());
        return socket;
    }

    /** The status line the gateway answered before it closed the connection; empty when it just closed it. */
    private static String answerOrClose(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("The gateway kept a slow client's connection open past "
                    + SLOW_CLIENT_LIMIT.multipliedBy(5) + "; it had sent: " + read, e);
        }
        return read.toString();
    }

    private static EntityExchangeResult<String> send(EntryPoint entry, URI uri, MediaType type, String body,
            Map<String, String> headers) {
        WebTestClient.RequestBodySpec request = gateway.http().method(entry.method()).uri(uri)
                .accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM);
        switch (entry.name()) {
            case "github" -> request = request.header("X-GitHub-Event", "push")
                    .header("X-Hub-Signature-256", signature(body));
            case "gitlab" -> request = request.header("X-Gitlab-Event", "Push Hook")
                    .header("X-Gitlab-Token", RunningGateway.GITLAB_TOKEN);
            case "events" -> request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGateway.READ_TOKEN);
            default -> request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGateway.SHOP_TOKEN);
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            request = request.header(header.getKey(), header.getValue());
        }
        WebTestClient.RequestHeadersSpec<?> sent = entry.takesJson()
                ? request.contentType(type).bodyValue(body.getBytes(StandardCharsets.UTF_8)) : request;
        try {
            return sent.exchange().expectBody(String.class).returnResult();
        } catch (IllegalStateException e) {
            throw new AssertionError(entry.name() + " at " + uri + " was not answered", e);
        }
    }

    /**
     * Whatever the gateway published would be on Kafka before the event of a request made after it; then no request
     * since {@code start} but that one is there. And the gateway still answers.
     */
    private static void assertNothingPublishedAndStillAnswering(Instant start) {
        String later = gateway.authorized().post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"ref\":\"v3\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");
        events.awaitEvent(DeployRequested.class, later);

        Set<Class<?>> requests = Set.of(DeployRequested.class, RollbackRequested.class, PromoteRequested.class,
                CancelRequested.class);
        assertThat(events.events()).filteredOn(event -> !event.time().isBefore(start))
                .filteredOn(event -> requests.contains(event.data().getClass()))
                .extracting(Envelope::deploymentId).containsExactly(later);
        assertThat(events.events()).noneMatch(event -> event.data().toString().contains(HOSTILE));
        gateway.reader().get().uri("/api/apps/shop/status").exchange().expectStatus().isOk();
    }

    private static String signature(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(RunningGateway.GITHUB_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha() {
        return UUID.randomUUID().toString().replace("-", "") + "01234567";
    }
}
