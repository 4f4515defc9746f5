package dev.bluegreen.preflight.doctor;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

import dev.bluegreen.preflight.Report;

/** Whether the services will find Kafka where their settings point, with the same security settings. */
final class KafkaCheck {

    private final Map<String, Object> settings;
    private final Duration timeout;
    private final Report report;

    KafkaCheck(Map<String, Object> adminSettings, Duration timeout, Report report) {
        this.settings = new HashMap<>(adminSettings);
        this.timeout = timeout;
        this.report = report;
        int millis = (int) timeout.toMillis();
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    }

    static String servers(Map<String, Object> adminSettings) {
        Object servers = adminSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        return servers instanceof Collection<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(servers);
    }

    void run() {
        try (Admin admin = Admin.create(settings)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            report.ok("Kafka answered: " + nodes.size() + (nodes.size() == 1 ? " broker." : " brokers."));
        }
        catch (TimeoutException | ExecutionException ex) {
            report.problem("Kafka at " + servers(settings) + " did not answer within " + timeout.toSeconds() + " s.",
                    "start Kafka, or set KAFKA_BOOTSTRAP_SERVERS (spring.kafka.bootstrap-servers) to where it runs, "
                            + "with the security settings the services use (spring.kafka.security.*, "
                            + "spring.kafka.ssl.*, spring.kafka.properties.sasl.*).");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            report.problem("The Kafka check was interrupted.", "run the doctor again.");
        }
        catch (RuntimeException ex) {
            report.problem("The Kafka settings are wrong: " + ex.getMessage() + ".", "fix spring.kafka.* as the "
                    + "services have them.");
        }
    }
}
