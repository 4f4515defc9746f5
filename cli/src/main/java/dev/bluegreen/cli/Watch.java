package dev.bluegreen.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import tools.jackson.databind.JsonNode;

import dev.bluegreen.cli.GatewayClient.GatewayException;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeCodec;
import dev.bluegreen.events.MalformedEventException;

/**
 * Follows one deployment: first what happened so far, from the gateway's status, then its events live from the
 * stream, resuming after the last one shown. Ends with the deployment: 0 when traffic moved, 1 when it failed.
 */
final class Watch {

    static final int SUCCEEDED = 0;
    static final int FAILED = 1;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final Duration APPEAR_TIMEOUT = Duration.ofSeconds(15);
    private static final int RECONNECTS = 5;

    private final GatewayClient gateway;
    private final PrintStream out;
    private final EnvelopeCodec codec = new EnvelopeCodec();

    Watch(GatewayClient gateway, PrintStream out) {
        this.gateway = gateway;
        this.out = out;
    }

    int follow(String deploymentId) {
        JsonNode deployment = awaitDeployment(deploymentId);
        String app = deployment.path("app").asString();
        out.println("Deployment " + deploymentId + " of " + app + " (" + deployment.path("kind").asString() + ")");
        for (JsonNode step : deployment.path("steps")) {
            line(Instant.parse(step.path("time").asString()), step.path("event").asString(),
                    step.path("summary").asString());
        }
        String outcome = deployment.path("outcome").asString();
        if (outcome.equals("succeeded") || outcome.equals("failed")) {
            return finish(outcome.equals("succeeded") ? SUCCEEDED : FAILED, deployment.path("reason").asString(""));
        }
        if (outcome.equals("awaiting-promotion")) {
            promoteHint(app, deploymentId);
        }
        String[] last = {deployment.path("lastEventId").asString("")};
        int[] result = {-1};
        for (int attempt = 0; attempt <= RECONNECTS && result[0] < 0; attempt++) {
            if (attempt > 0) {
                // The stream closed early: the deployment may have ended meanwhile.
                JsonNode now = gateway.get("api/deployments/" + GatewayClient.encode(deploymentId));
                String state = now.path("outcome").asString();
                if (state.equals("succeeded") || state.equals("failed")) {
                    return finish(state.equals("succeeded") ? SUCCEEDED : FAILED, now.path("reason").asString(""));
                }
            }
            gateway.stream("api/events?app=" + GatewayClient.encode(app), last[0], sse -> {
                last[0] = sse.id();
                Envelope envelope;
                try {
                    envelope = codec.read(sse.data());
                } catch (MalformedEventException e) {
                    return true;
                }
                if (!envelope.deploymentId().equals(deploymentId)) {
                    return true;
                }
                show(envelope, app);
                result[0] = Describe.outcome(envelope.data());
                return result[0] < 0;
            });
        }
        if (result[0] < 0) {
            throw new GatewayException(0, "The gateway's event stream kept closing; run watch again to go on");
        }
        return finish(result[0], "");
    }

    private void show(Envelope envelope, String app) {
        line(envelope.time(), envelope.type(), Describe.event(envelope.data()));
        if (envelope.data() instanceof DeploymentLog log) {
            log.lines().forEach(text -> out.println("            | " + text));
        }
        if (envelope.type().equals("AwaitingPromotion")) {
            promoteHint(app, envelope.deploymentId());
        }
    }

    private int finish(int code, String reason) {
        out.println(code == SUCCEEDED ? "Deployment succeeded." : "Deployment failed." + (reason.isEmpty() ? ""
                : " " + reason));
        return code;
    }

    private void promoteHint(String app, String deploymentId) {
        out.println("  To move traffic: bluegreen promote " + app + " " + deploymentId);
    }

    private void line(Instant time, String event, String summary) {
        out.printf("%s  %-22s  %s%n", TIME.format(time), event, summary);
    }

    /** A deployment just asked for reaches the gateway's status within moments; wait for it that long. */
    private JsonNode awaitDeployment(String deploymentId) {
        Instant deadline = Instant.now().plus(APPEAR_TIMEOUT);
        while (true) {
            try {
                return gateway.get("api/deployments/" + GatewayClient.encode(deploymentId));
            } catch (GatewayException e) {
                if (e.status() != 404 || Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(0, "Interrupted while waiting for deployment " + deploymentId);
            }
        }
    }
}
