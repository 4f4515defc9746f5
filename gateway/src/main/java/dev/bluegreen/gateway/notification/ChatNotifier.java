package dev.bluegreen.gateway.notification;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.gateway.Secrets;
import dev.bluegreen.gateway.status.DeploymentProjection;
import dev.bluegreen.gateway.status.DeploymentView;

/**
 * Posts what people must know to each app's chat webhook, as Slack-compatible JSON {@code {"text": "..."}}: traffic
 * moved (TrafficSwitched, RolledBack), traffic could not move (SwitchFailed), deployments that failed
 * (ProvisioningFailed, EnvironmentUnhealthy) or ran out of time (DeploymentExpired), and deploys and rollbacks that were
 * refused (RequestRefused), such as a push that came while another deployment was under way. The gateway instances share one consumer group, so each event is posted
 * once; a new group starts at the latest events rather than posting history. A post that fails is logged, not retried:
 * chat is a courtesy, the event stream and status are the record.
 * <p>
 * An example of a monitoring consumer: read the lifecycle topic with a group of your own, act on the events you care
 * about.
 */
@Component
class ChatNotifier {

    static final String LISTENER_ID = "gateway-notifications";

    private static final Logger log = LoggerFactory.getLogger(ChatNotifier.class);

    private final Map<String, URI> targets = new HashMap<>();
    private final DeploymentProjection projection;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    ChatNotifier(NotificationProperties properties, AppCatalog catalog, DeploymentProjection projection) {
        this.projection = projection;
        this.timeout = properties.notificationTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        properties.notifications().forEach((app, target) -> {
            String key = "bluegreen.gateway.notifications." + app;
            if (catalog.find(app).isEmpty()) {
                throw new BadSetting(key, key + " names '" + app + "', which is not a configured app",
                        "Add '" + app + "' to the apps file (bluegreen.apps." + app + "), or remove " + key
                                + ". The apps file configures " + catalog.names() + ".");
            }
            Secrets.read(target.url(), target.urlFile(), key + ".url").ifPresent(url -> targets.put(app, uri(url, key)));
        });
    }

    @KafkaListener(id = LISTENER_ID, groupId = "gateway-notifications",
            topics = "#{T(dev.bluegreen.events.Topics).LIFECYCLE}",
            properties = "auto.offset.reset=${bluegreen.gateway.notifications-start:latest}")
    void onEvent(ConsumerRecord<String, Envelope> record) {
        Envelope envelope = record.value();
        if (envelope == null) {
            return;
        }
        URI target = targets.get(envelope.subject());
        if (target == null) {
            return;
        }
        Optional<DeploymentView> deployment = projection.deployment(envelope.deploymentId());
        ChatMessages.text(envelope, deployment).ifPresent(text -> post(target, envelope, text));
    }

    private void post(URI target, Envelope envelope, String text) {
        byte[] body = json.writeValueAsBytes(Map.of("text", text));
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null || response.statusCode() / 100 != 2) {
                // The URL holds the webhook's credential: it never reaches the log.
                log.warn("The chat notification of {} of {} (deployment {}) was not delivered: {}.", envelope.type(),
                        envelope.subject(), envelope.deploymentId(), failure != null
                                ? failure.getClass().getSimpleName() : "the chat answered " + response.statusCode());
            }
        });
    }

    private static URI uri(byte[] url, String key) {
        try {
            URI uri = URI.create(new String(url, StandardCharsets.UTF_8));
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new BadSetting(key, key + " is not an http(s) URL",
                    "Set " + key + " to the chat's incoming webhook URL, such as https://hooks.slack.com/services/...");
        }
    }
}
