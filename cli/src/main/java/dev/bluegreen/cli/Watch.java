package dev.bluegreen.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.bluegreen.cli.GatewayClient.GatewayException;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeCodec;
import dev.bluegreen.events.MalformedEventException;

/**
 * Follows one deployment: first what happened so far, from the gateway's status, then its events live from the
 * stream, resuming after the last one shown. Ends with the deployment: 0 when traffic moved, 1 when it did not
 * (failed, refused, cancelled or expired).
 */
final class Watch {

    static final int SUCCEEDED = 0;
    static final int FAILED = 1;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final Duration APPEAR_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled", "expired", "refused");
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
        String kind = deployment.path("kind").asString("deployment");
        out.println("Deployment " + deploymentId + " of " + app + " (" + kind + ")");
        for (JsonNode step : deployment.path("steps")) {
            line(Instant.parse(step.path("time").asString()), step.path("event").asString(),
                    step.path("summary").asString());
        }
        if (ended(deployment)) {
            return finish(kind, deployment);
        }
        if (deployment.path("outcome").asString().equals("awaiting-promotion")) {
            promoteHint(app, deploymentId);
        }
        String[] last = {deployment.path("lastEventId").asString("")};
        JsonNode[] end = {null};
        String[] endedBy = {null};
        for (int attempt = 0; attempt <= RECONNECTS && end[0] == null && endedBy[0] == null; attempt++) {
            if (attempt > 0) {
                // The stream closed early: the deployment may have ended meanwhile.
                JsonNode now = deploymentView(deploymentId);
                if (ended(now)) {
                    return finish(kind, now);
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
                Describe.Ending ending = Describe.ending(envelope.data());
                if (ending == Describe.Ending.TO_CONFIRM) {
                    end[0] = confirm(deploymentId);
                    return end[0] == null;
                }
                if (ending != Describe.Ending.NONE) {
                    endedBy[0] = ending.word();
                    return false;
                }
                return true;
            });
        }
        if (end[0] != null) {
            return finish(kind, end[0]);
        }
        if (endedBy[0] == null) {
            throw new GatewayException(0, "The gateway's event stream kept closing; run watch again to go on");
        }
        // the step shown last says why
        return finish(kind, endedBy[0], "");
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

    private int finish(String kind, JsonNode deployment) {
        return finish(kind, deployment.path("outcome").asString(), deployment.path("reason").asString(""));
    }

    private int finish(String kind, String outcome, String reason) {
        out.println(("rollback".equals(kind) ? "Rollback " : "Deployment ") + outcome + "."
                + (reason.isEmpty() ? "" : " " + reason));
        return outcome.equals("succeeded") ? SUCCEEDED : FAILED;
    }

    private static boolean ended(JsonNode deployment) {
        return ENDED.contains(deployment.path("outcome").asString());
    }

    /**
     * Whether a cancel or an expiry the stream showed ended the deployment is the state machine's to say: the gateway
     * knows within moments. The deployment once it has ended, or null when it goes on (the cancel came too late, the
     * expiry after it moved on).
     */
    private JsonNode confirm(String deploymentId) {
        Instant deadline = Instant.now().plus(CONFIRM_TIMEOUT);
        while (true) {
            JsonNode now = deploymentView(deploymentId);
            if (ended(now)) {
                return now;
            }
            if (Instant.now().isAfter(deadline)) {
                return null;
            }
            pause(deploymentId);
        }
    }

    private JsonNode deploymentView(String deploymentId) {
        return gateway.get("api/deployments/" + GatewayClient.encode(deploymentId));
    }

    private void promoteHint(String app, String deploymentId) {
        out.println("  To move traffic: bluegreen promote " + app + " " + deploymentId);
        out.println("  To reject it:    bluegreen cancel " + app + " " + deploymentId + " --reason \"...\"");
    }

    private void line(Instant time, String event, String summary) {
        out.printf("%s  %-22s  %s%n", TIME.format(time), event, summary);
    }

    /** A deployment just asked for reaches the gateway's status within moments; wait for it that long. */
    private JsonNode awaitDeployment(String deploymentId) {
        Instant deadline = Instant.now().plus(APPEAR_TIMEOUT);
        while (true) {
            try {
                return deploymentView(deploymentId);
            } catch (GatewayException e) {
                if (e.status() != 404 || Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            pause(deploymentId);
        }
    }

    private static void pause(String deploymentId) {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(0, "Interrupted while waiting for deployment " + deploymentId);
        }
    }
}
