package dev.bluegreen.preflight.doctor;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.HealthCheckSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.preflight.Report;
import reactor.core.Exceptions;

/**
 * Asks every droplet's health URL once, directly, as the health-monitor does (not through the load balancer). The
 * live colour must pass; the idle one may not be deployed yet.
 */
final class HealthChecks {

    private record Answer(int status, String body) {
    }

    private final WebClient http = WebClient.create();
    private final Report report;

    HealthChecks(Report report) {
        this.report = report;
    }

    void app(AppSpec spec, Colour live) {
        HealthCheckSpec health = spec.health();
        for (Colour colour : Colour.values()) {
            for (DropletSpec droplet : spec.droplets(colour)) {
                probe(droplet, colour, colour == live, health);
            }
        }
    }

    private void probe(DropletSpec droplet, Colour colour, boolean live, HealthCheckSpec health) {
        // built as the health-monitor builds it, so a path or port mistake shows here first
        URI url = UriComponentsBuilder.fromUriString(droplet.http()).path(health.path()).build().toUri();
        String which = "droplet " + droplet.id() + ", " + colour + (live ? ", live" : ", idle");
        long started = System.nanoTime();
        String failure;
        try {
            Answer answer = http.get().uri(url)
                    .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                            .map(body -> new Answer(response.statusCode().value(), body)))
                    .timeout(health.timeout())
                    .block(health.timeout().plus(Duration.ofSeconds(1)));
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (answer != null && answer.status() == health.expectedStatus() && (health.expectedBody() == null
                    || answer.body().contains(health.expectedBody()))) {
                report.ok(url + " answered " + answer.status() + " in " + millis + " ms (" + which + ").");
                return;
            }
            failure = answer == null ? "gave no answer" : "answered " + answer.status()
                    + (answer.status() == health.expectedStatus() ? " without \"" + health.expectedBody() + "\""
                            : " instead of " + health.expectedStatus());
        }
        catch (RuntimeException ex) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(Exceptions.unwrap(ex));
            failure = cause instanceof TimeoutException ? "did not answer within " + health.timeout().toMillis()
                    + " ms" : cause instanceof ConnectException ? "refused the connection: nothing listens there"
                    : "could not be reached: " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                            : cause.getMessage());
        }
        String finding = url + " " + failure + " (" + which + ").";
        if (live) {
            report.problem(finding, "the health-monitor asks this URL directly, not through the load balancer: it "
                    + "must reach the app behind nginx from where bluegreen runs. Check the app and nginx on the "
                    + "droplet, the firewall, and the droplet's http and the health path in the apps file.");
        }
        else {
            report.warn(finding, "fine if the idle colour has not been deployed yet: the health-monitor checks it "
                    + "again after each deployment.");
        }
    }
}
