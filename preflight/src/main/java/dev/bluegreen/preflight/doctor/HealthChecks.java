package dev.bluegreen.preflight.doctor;

import java.time.Duration;
import java.util.Objects;

import org.springframework.web.reactive.function.client.WebClient;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.preflight.Report;
import dev.bluegreen.probe.Expectation;
import dev.bluegreen.probe.HealthProbe;
import dev.bluegreen.probe.ProbeResult;

/**
 * Asks every droplet's health URL once, directly, with the health-monitor's own {@link HealthProbe} (not through the
 * load balancer), so a path or port mistake shows here first. The live colour must pass; the idle one may not be
 * deployed yet.
 */
final class HealthChecks {

    private final HealthProbe probe = new HealthProbe(WebClient.builder());
    private final Report report;

    HealthChecks(Report report) {
        this.report = report;
    }

    void app(AppSpec spec, Colour live) {
        Expectation expected = Expectation.of(spec.health());
        for (Colour colour : Colour.values()) {
            for (DropletSpec droplet : spec.droplets(colour)) {
                probe(droplet, colour, colour == live, expected);
            }
        }
    }

    private void probe(DropletSpec droplet, Colour colour, boolean live, Expectation expected) {
        String which = "droplet " + droplet.id() + ", " + colour + (live ? ", live" : ", idle");
        // the probe gives up after the health check's timeout and never fails: the margin only bounds the wait
        ProbeResult result = Objects.requireNonNull(probe.probe(droplet, expected)
                .block(expected.timeout().plus(Duration.ofSeconds(1))));
        String said = HealthProbe.url(droplet, expected.path())
                + (result.answered() ? " answered " : " did not answer: ") + result.outcome();
        if (result.passed()) {
            report.ok(said + " (" + which + ").");
            return;
        }
        String finding = said + "; expected " + expected.inWords() + " (" + which + ").";
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
