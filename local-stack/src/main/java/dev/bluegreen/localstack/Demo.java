package dev.bluegreen.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;

/**
 * The demo a new user sees: v1 is live on blue; deploy v2 to green through the gateway, watch traffic switch; then
 * roll back to v1. It talks to the gateway over HTTP, exactly as a person or CI would.
 */
final class Demo {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LocalStack stack;
    private final GatewayClient gateway;
    private final Timeline timeline;
    private final Consumer<String> say;

    Demo(LocalStack stack, Timeline timeline, Consumer<String> say) {
        this.stack = stack;
        this.gateway = new GatewayClient(stack.gatewayUrl());
        this.timeline = timeline;
        this.say = say;
    }

    /** Runs deploy, switch and rollback; answers whether every step ended as expected. */
    boolean run() throws IOException, InterruptedException {
        String app = stack.sandbox().appName();
        say.accept("The load balancer serves: " + balancerAnswer());
        say.accept("Deploying v2 of " + app + ": POST " + stack.gatewayUrl() + "/api/apps/" + app + "/deployments");
        String deployment = gateway.deploy(app, "v2", "demo");
        if (!outcome(deployment, TrafficSwitched.class)) {
            return false;
        }
        say.accept("The load balancer serves: " + balancerAnswer());
        say.accept("Rolling back: POST " + stack.gatewayUrl() + "/api/apps/" + app + "/rollbacks");
        String rollback = gateway.rollback(app, "demo", "showing a rollback");
        if (!outcome(rollback, RolledBack.class)) {
            return false;
        }
        say.accept("The load balancer serves: " + balancerAnswer());
        return true;
    }

    private boolean outcome(String deploymentId, Class<?> success) throws InterruptedException {
        Envelope end = timeline.await(e -> e.deploymentId().equals(deploymentId) && isOutcome(e), STEP_TIMEOUT)
                .orElse(null);
        if (end == null) {
            say.accept("No outcome for " + deploymentId + " within " + STEP_TIMEOUT.toMinutes() + " minutes.");
            return false;
        }
        return success.isInstance(end.data());
    }

    private static boolean isOutcome(Envelope e) {
        return e.data() instanceof TrafficSwitched || e.data() instanceof RolledBack
                || e.data() instanceof SwitchFailed || e.data() instanceof ProvisioningFailed
                || e.data() instanceof EnvironmentUnhealthy;
    }

    private String balancerAnswer() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(stack.sandbox().loadBalancerUrl() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().strip();
        } catch (IOException e) {
            return "no answer (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no answer (interrupted)";
        }
    }
}
