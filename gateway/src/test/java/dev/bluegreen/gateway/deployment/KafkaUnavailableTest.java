package dev.bluegreen.gateway.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.testing.FreePorts;

/** A gateway whose Kafka does not answer: it never reads the history, and no event it publishes is confirmed. */
class KafkaUnavailableTest {

    @TempDir
    static Path directory;

    static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws IOException {
        gateway = RunningGateway.start(directory, "127.0.0.1:" + FreePorts.any(),
                "--spring.kafka.producer.properties.max.block.ms=1000",
                "--spring.kafka.admin.operation-timeout=1s", "--spring.kafka.admin.close-timeout=1s",
                "--logging.level.org.apache.kafka=ERROR", "--logging.level.org.springframework.kafka=OFF");
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aDeployRequestIs503WithAPlainMessageWhenKafkaDoesNotAnswer() {
        String body = gateway.authorized().post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2\"}")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).isEqualTo("{\"error\":\"Kafka did not confirm the deploy request for 'shop'; "
                + "try again shortly\"}");
    }

    /** GitHub waits 10 s for an answer and never retries a delivery it gave up on. */
    @Test
    void aWebhookWhileTheHistoryIsUnreadIsAnswered503WithRetryAfterWellWithinGitHubsTenSeconds() {
        String push = """
                {"ref":"refs/heads/main","before":"0a1b2c3d4e5f","after":"6f5e4d3c2b1a09876543210fedcba98765432101",
                 "pusher":{"name":"alice"}}""";
        long started = System.nanoTime();

        String body = gateway.http().post().uri("/api/webhooks/github/shop")
                .header("X-GitHub-Event", "push")
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(hmacSha256(push)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(push)
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(9));
        assertThat(body).isEqualTo("{\"error\":\"The gateway is still reading the pipeline's history from Kafka; try "
                + "again shortly\"}");
    }

    private static byte[] hmacSha256(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(RunningGateway.GITHUB_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
