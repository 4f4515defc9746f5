package dev.bluegreen.preflight.doctor;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.reactive.function.client.WebClient;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.digitalocean.LoadBalancer;
import dev.bluegreen.preflight.Report;
import dev.bluegreen.trafficplan.Confirmation;
import dev.bluegreen.trafficplan.SwitchPreview;
import reactor.core.Exceptions;

/**
 * What a switch needs of the app's load balancer: forwarding 80 to 80, a health check that asks what the
 * health-monitor asks (the app's health path, through nginx on the port the balancer forwards to), a settle timeout
 * no shorter than the balancer needs to pass a new droplet, and a way to tell that the new colour serves, said aloud.
 */
final class BalancerChecks {

    private static final int NGINX_PORT = 80;
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(5);

    private final SwitchPreview preview;
    private final Report report;
    private final WebClient http = WebClient.create();

    BalancerChecks(SwitchPreview preview, Report report) {
        this.preview = preview;
        this.report = report;
    }

    void check(String app, AppSpec spec, LoadBalancer balancer, Duration longestCall) {
        forwarding(balancer);
        healthCheck(app, spec, balancer);
        Confirmation confirmation = preview.confirmation(app, spec, balancer).block(longestCall);
        if (confirmation == null) {
            throw new IllegalStateException("The confirmation of " + app + "'s switch could not be worked out");
        }
        confirmation(app, spec, balancer, confirmation);
        settleTimeout(app, spec, balancer, confirmation.method());
    }

    private void forwarding(LoadBalancer balancer) {
        String what = "Load balancer " + balancer.id();
        LoadBalancer.ForwardingRule rule = balancer.forwardingRules().stream()
                .filter(candidate -> candidate.entryPort() == NGINX_PORT && candidate.targetPort() == NGINX_PORT)
                .findFirst().orElse(null);
        if (rule != null) {
            report.ok(what + " forwards " + rule + ".");
            return;
        }
        report.problem(what + " does not forward port 80 to port 80 on the droplets, where nginx listens (its rules: "
                + (balancer.forwardingRules().isEmpty() ? "none" : balancer.forwardingRules().stream()
                        .map(LoadBalancer.ForwardingRule::toString).collect(Collectors.joining(", "))) + ").",
                "add the rule: doctl compute load-balancer add-forwarding-rules " + balancer.id()
                        + " --forwarding-rules entry_protocol:http,entry_port:80,target_protocol:http,target_port:80");
    }

    private void healthCheck(String app, AppSpec spec, LoadBalancer balancer) {
        LoadBalancer.HealthCheck check = balancer.check();
        String path = spec.health().path();
        List<String> differences = new ArrayList<>();
        if (!"http".equals(check.protocol()) && !"https".equals(check.protocol())) {
            differences.add("it checks " + check.protocol() + ", which passes while nginx is up even if the app is "
                    + "down");
        }
        if (check.port() != NGINX_PORT) {
            differences.add("it checks port " + check.port() + ", not " + NGINX_PORT + " where nginx listens");
        }
        if (!"tcp".equals(check.protocol()) && !path.equals(check.path())) {
            differences.add("it asks for " + check.path() + ", not the app's health path " + path);
        }
        String what = "The health check of load balancer " + balancer.id() + " (" + check + ")";
        if (differences.isEmpty()) {
            report.ok(what + " asks for " + path + ", the app's health path, as the health-monitor does.");
            return;
        }
        report.problem(what + " does not check what the health-monitor checks: " + String.join("; ", differences)
                + ". The balancer would send traffic to droplets whose app fails.", "in the control panel "
                + "(Networking, Load Balancers, the balancer's Settings, Health checks) set protocol HTTP, port "
                + NGINX_PORT + ", path " + path + " (bluegreen.apps." + app + ".health.path). An API PUT would reset "
                + "every setting it leaves out.");
    }

    private void confirmation(String app, AppSpec spec, LoadBalancer balancer, Confirmation confirmation) {
        switch (confirmation.method()) {
            case VERIFY -> {
                URI url = confirmation.verifyUrl();
                if (url == null) {
                    report.problem(confirmation.finding(), "set bluegreen.apps." + app + ".routing.verify.base-url "
                            + "to where the traffic-router reaches the balancer, such as https://" + app
                            + ".example.com.");
                } else {
                    report.ok(confirmation.finding());
                    verifyAnswers(app, url);
                }
            }
            case HEALTH_METRICS -> report.ok(confirmation.finding());
            case WAIT -> report.warn(confirmation.finding(), "set bluegreen.apps." + app + ".routing.verify to a "
                    + "path the new version answers through the balancer, with the text it answers, such as "
                    + "{ path: /version, expect: \"{{ref}}\" }: then a switch sees the new version serve before it "
                    + "takes the old one out.");
        }
    }

    /** Asks the verify URL once, through the balancer, as each switch will: it must answer from here. */
    private void verifyAnswers(String app, URI url) {
        long started = System.nanoTime();
        try {
            String answer = http.get().uri(url)
                    .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                            .map(body -> response.statusCode().value() + " \"" + excerpt(body) + "\""))
                    .timeout(VERIFY_TIMEOUT)
                    .block(VERIFY_TIMEOUT.plusSeconds(1));
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (answer != null && answer.startsWith("2")) {
                report.ok("GET " + url + " answered " + answer + " through the balancer in " + millis + " ms (the "
                        + "live colour's version).");
                return;
            }
            report.problem("GET " + url + " answered " + answer + " through the balancer.", "each switch asks it "
                    + "until the new version answers: check bluegreen.apps." + app + ".routing.verify.path.");
        }
        catch (RuntimeException ex) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(Exceptions.unwrap(ex));
            report.problem("GET " + url + " through the balancer got no answer: " + (cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage()) + ".", "each switch asks it until the "
                    + "new version answers: the traffic-router must reach the balancer's address, or set "
                    + "bluegreen.apps." + app + ".routing.verify.base-url to where it does.");
        }
    }

    private void settleTimeout(String app, AppSpec spec, LoadBalancer balancer, Confirmation.Method method) {
        Duration settle = spec.routing().settleTimeout();
        Duration needed = balancer.timeToServe();
        if (settle.compareTo(needed) >= 0) {
            return;
        }
        String finding = "routing.settle-timeout (" + seconds(settle) + ") is shorter than the " + seconds(needed)
                + " load balancer " + balancer.id() + " may need to pass a new droplet (healthy_threshold "
                + balancer.check().healthyThreshold() + " × check_interval_seconds "
                + balancer.check().checkIntervalSeconds() + " s, plus one interval)";
        String fix = "set bluegreen.apps." + app + ".routing.settle-timeout to at least " + seconds(needed) + ".";
        if (method == Confirmation.Method.WAIT) {
            report.problem(finding + ": with nothing to confirm it sooner, every switch gives up and takes the new "
                    + "colour out again.", fix);
        } else {
            report.warn(finding + ": a switch may give up before the balancer sends the new colour traffic.", fix);
        }
    }

    private static String excerpt(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() <= 60 ? line : line.substring(0, 60) + "…";
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
