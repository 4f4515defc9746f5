package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.bluegreen.agent.DeployAgentApplication;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.GatewayApplication;
import dev.bluegreen.monitor.HealthMonitorApplication;
import dev.bluegreen.router.TrafficRouterApplication;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxDroplet;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * A whole deployment with known secret values everywhere a user puts them: the DigitalOcean token and the gateway's
 * CI token in the services' settings, a webhook secret in the apps file, the SSH key on disk, and a database password
 * in the agent's settings that a droplet's step prints. Afterwards not one of them may be found in any record of any
 * topic on the broker, nor in any line any service logged.
 */
class SecretsStayHiddenTest {

    private static final Duration OUTCOME = Duration.ofSeconds(120);
    private static final SecureRandom random = new SecureRandom();

    @TempDir
    static Path work;

    private static final List<String> logged = new CopyOnWriteArrayList<>();
    private static final AppenderBase<ILoggingEvent> everyLine = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getFormattedMessage());
            for (var cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                line.append(" | ").append(cause.getClassName()).append(": ").append(cause.getMessage());
            }
            logged.add(line.toString());
        }
    };

    private static Sandbox sandbox;
    private static final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private static final Map<String, String> secrets = new LinkedHashMap<>();
    private static String gatewayUrl;

    @BeforeAll
    static void deployWithSecretsEverywhere() throws Exception {
        everyLine.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(everyLine);

        String app = "secrets-" + UUID.randomUUID().toString().substring(0, 8);
        sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(work.resolve("sandbox")).withAppName(app));
        secrets.put("the DigitalOcean token", sandbox.apiToken());
        secrets.put("the gateway's CI token", "ci-" + hex(24));
        secrets.put("the webhook secret in the apps file", "whsec-" + hex(24));
        secrets.put("the database password a step prints", "db-" + hex(24));
        List<String> keyLines = Files.readAllLines(sandbox.clientKeyFile()).stream()
                .filter(line -> !line.startsWith("-----") && line.length() >= 20).toList();
        assertThat(keyLines).as("the SSH key's body").isNotEmpty();
        for (int i = 0; i < keyLines.size(); i++) {
            secrets.put("line " + (i + 1) + " of the SSH private key", keyLines.get(i));
        }

        Path appsFile = sandbox.writeAppsFile(work.resolve("bluegreen.yml"));
        Files.writeString(appsFile, withPrintedEnvironmentAndWebhookSecret(Files.readString(appsFile), app));
        for (SandboxDroplet droplet : sandbox.droplets()) {
            // a file that lives only on the droplet, as a .env does
            Files.writeString(droplet.server().folder().resolve(".env"),
                    "DATABASE_PASSWORD=" + secrets.get("the database password a step prints") + "\n");
        }

        String kafka = KafkaFixture.bootstrapServers();
        start(DeployAgentApplication.application(), appsFile, kafka,
                "--database.password=" + secrets.get("the database password a step prints"));
        start(HealthMonitorApplication.application(), appsFile, kafka);
        start(TrafficRouterApplication.application(), appsFile, kafka,
                "--bluegreen.digitalocean.token=" + sandbox.apiToken(),
                "--bluegreen.digitalocean.api-url=" + sandbox.apiUrl());
        ConfigurableApplicationContext gateway = start(GatewayApplication.application(), appsFile, kafka,
                "--bluegreen.gateway.tokens.ci.secret=" + secrets.get("the gateway's CI token"),
                "--bluegreen.gateway.tokens.ci.apps=*");
        gatewayUrl = "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port");

        try (EventLog events = EventLog.open(kafka, Topics.EVENTS.toArray(String[]::new))) {
            GatewayClient client = new GatewayClient(gatewayUrl, secrets.get("the gateway's CI token"));
            String deployment = client.deploy(app, "v2", "test");
            events.awaitEvent(TrafficSwitched.class, deployment);
            assertThat(events.events()).as("the step that prints the password ran, and its output was masked")
                    .anyMatch(event -> event.data() instanceof DeploymentLog log
                            && log.lines().stream().anyMatch(line -> line.contains("DATABASE_PASSWORD=******")));
        }
        assertThat(sendSignedPush(app, secrets.get("the webhook secret in the apps file")))
                .as("a push the webhook secret signs is accepted").isEqualTo(202);
    }

    @AfterAll
    static void stopEverything() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(everyLine);
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void noRecordOnAnyTopicHoldsASecret() throws Exception {
        Map<String, List<String>> found = new LinkedHashMap<>();
        long records = 0;
        for (ConsumerRecord<byte[], byte[]> record : everyRecordOnTheBroker()) {
            records++;
            StringBuilder text = new StringBuilder(text(record.key())).append(' ').append(text(record.value()));
            record.headers().forEach(header -> text.append(' ').append(header.key()).append('=')
                    .append(text(header.value())));
            secrets.forEach((what, value) -> {
                if (text.indexOf(value) >= 0) {
                    found.computeIfAbsent(what, k -> new ArrayList<>()).add(record.topic() + "@" + record.offset());
                }
            });
        }
        assertThat(records).as("records read from the broker").isPositive();
        assertThat(found).as("secrets found in records").isEmpty();
    }

    @Test
    void noLineAnyServiceLoggedHoldsASecret() {
        assertThat(logged).as("log lines captured").isNotEmpty();
        secrets.forEach((what, value) -> assertThat(logged).as(what).noneMatch(line -> line.contains(value)));
    }

    private static ConfigurableApplicationContext start(SpringApplicationBuilder service, Path appsFile, String kafka,
            String... extra) {
        List<String> args = new ArrayList<>(List.of("--bluegreen.config=" + appsFile,
                "--spring.kafka.bootstrap-servers=" + kafka, "--server.port=0", "--spring.main.banner-mode=off"));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context = service.run(args.toArray(String[]::new));
        services.add(context);
        return context;
    }

    /** A post-deploy hook that prints the droplet's .env, and the app's webhook secret, both in the apps file. */
    private static String withPrintedEnvironmentAndWebhookSecret(String appsFile, String app) {
        String deploy = "      deploy:\n";
        assertThat(appsFile).contains(deploy);
        String edited = appsFile.replace(deploy, deploy
                + "        post-deploy: [ { name: show-env, run: \"cat .env\", timeout: 10s } ]\n");
        return edited.replaceFirst("(?m)^bluegreen:\n", "bluegreen:\n  gateway:\n    webhooks:\n      " + app
                + ":\n        github-secret: \"" + secrets.get("the webhook secret in the apps file") + "\"\n");
    }

    /** A signed push to a branch the app does not deploy from: the gateway checks the signature and answers 202. */
    private static int sendSignedPush(String app, String secret) throws Exception {
        String body = "{\"ref\":\"refs/heads/not-deployed\",\"before\":\"" + "0".repeat(40) + "\",\"after\":\""
                + "1".repeat(40) + "\",\"repository\":{\"full_name\":\"acme/" + app + "\"},"
                + "\"pusher\":{\"name\":\"alice\"},\"head_commit\":{\"id\":\"" + "1".repeat(40) + "\"}}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/webhooks/github/" + app))
                        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                        .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                        .header("X-Hub-Signature-256", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode();
    }

    private static List<ConsumerRecord<byte[], byte[]>> everyRecordOnTheBroker() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers());
        List<TopicPartition> partitions = new ArrayList<>();
        try (Admin admin = Admin.create(settings)) {
            // the consumer offsets and transaction state hold positions, not payloads: every other topic is read
            var topics = admin.listTopics().names().get();
            admin.describeTopics(topics).allTopicNames().get().values().forEach(topic -> topic.partitions()
                    .forEach(partition -> partitions.add(new TopicPartition(topic.name(), partition.partition()))));
        }
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + OUTCOME.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read every topic to its end within " + OUTCOME);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String hex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
