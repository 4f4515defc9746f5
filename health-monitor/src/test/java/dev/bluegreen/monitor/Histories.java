package dev.bluegreen.monitor;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.testing.EventLog;

/**
 * An app's history as the other services write it to the lifecycle topic, for the health-monitor to fold: a
 * deployment requested and provisioned (the health-monitor's turn), or carried on to the switch (its bake begins).
 * The apps of these tests start with blue live, so a first deployment goes to green.
 */
public final class Histories {

    private Histories() {
    }

    /** DeployRequested and EnvironmentProvisioned of a new deployment of {@code app} to green; returns its id. */
    public static String provisioned(EventLog events, String app, long... greenDropletIds) {
        String deploymentId = app + "-" + UUID.randomUUID();
        provisioned(events, app, deploymentId, Colour.GREEN, greenDropletIds);
        return deploymentId;
    }

    /**
     * A new deployment of {@code app} to green, carried through its check and switch as the health-monitor and the
     * traffic-router would carry it, the switch recorded at {@code switchedAt}; returns its id.
     */
    public static String switched(EventLog events, String app, Instant switchedAt, long... greenDropletIds) {
        String deploymentId = app + "-" + UUID.randomUUID();
        List<Long> ids = ids(greenDropletIds);
        provisioned(events, app, deploymentId, Colour.GREEN, greenDropletIds);
        events.publish(Envelope.of("health-monitor", deploymentId,
                new EnvironmentHealthy(app, Colour.GREEN, "main", "0a1b2c3", List.of(), 300)));
        events.publish(Envelope.of("traffic-router", deploymentId,
                new TrafficSwitched(app, Colour.BLUE, Colour.GREEN, ids, 900), switchedAt));
        return deploymentId;
    }

    /** As {@link #switched(EventLog, String, Instant, long...)}, switched now. */
    public static String switched(EventLog events, String app, long... greenDropletIds) {
        return switched(events, app, Instant.now(), greenDropletIds);
    }

    /** Someone asks for a new deployment of {@code app}; returns its id. */
    public static String deployRequested(EventLog events, String app) {
        String deploymentId = app + "-" + UUID.randomUUID();
        deployRequested(events, app, deploymentId);
        return deploymentId;
    }

    private static void deployRequested(EventLog events, String app, String deploymentId) {
        events.publish(Envelope.of("gateway", deploymentId, new DeployRequested(app, "main", null, "ci")));
    }

    private static void provisioned(EventLog events, String app, String deploymentId, Colour colour,
            long... dropletIds) {
        deployRequested(events, app, deploymentId);
        events.publish(Envelope.of("deploy-agent", deploymentId,
                new EnvironmentProvisioned(app, colour, "main", "0a1b2c3", ids(dropletIds), 1200)));
    }

    private static List<Long> ids(long... dropletIds) {
        return LongStream.of(dropletIds).boxed().toList();
    }
}
