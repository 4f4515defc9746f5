package dev.bluegreen.gateway.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

import dev.bluegreen.gateway.RunningGateway;

class KafkaUnavailableTest {

    @Test
    void aDeployRequestIs503WithAPlainMessageWhenKafkaDoesNotAnswer(@TempDir Path directory) throws IOException {
        try (RunningGateway gateway = RunningGateway.start(directory, "127.0.0.1:" + closedPort(),
                "--spring.kafka.producer.properties.max.block.ms=1000",
                "--spring.kafka.admin.operation-timeout=1s", "--spring.kafka.admin.close-timeout=1s",
                "--logging.level.org.apache.kafka=ERROR", "--logging.level.org.springframework.kafka=OFF")) {
            String body = gateway.authorized().post().uri("/api/apps/shop/deployments")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"ref\":\"v2\"}")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody(String.class).returnResult().getResponseBody();

            assertThat(body).isEqualTo("{\"error\":\"Kafka did not confirm the deploy request for 'shop'; "
                    + "try again shortly\"}");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
