package dev.bluegreen.cli;

import java.util.Locale;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;

/** A pipeline event in a few words, and whether it ends a deployment. */
final class Describe {

    private Describe() {
    }

    static String event(PipelineEvent event) {
        if (event instanceof DeployRequested e) {
            return e.requestedBy() + " asked to deploy " + e.ref();
        } else if (event instanceof RollbackRequested e) {
            return e.requestedBy() + " asked to roll back: " + e.reason();
        } else if (event instanceof DeploymentStarted e) {
            return "provisioning " + e.colour() + " droplets " + e.dropletIds();
        } else if (event instanceof DeploymentLog e) {
            return e.step() + " on droplet " + e.dropletId() + (e.truncated() ? " (some lines left out)" : "");
        } else if (event instanceof EnvironmentProvisioned e) {
            return e.colour() + " provisioned with " + e.ref() + " at " + e.commit() + " in " + seconds(e.durationMs());
        } else if (event instanceof ProvisioningFailed e) {
            return "FAILED: " + e.reason();
        } else if (event instanceof EnvironmentHealthy e) {
            return e.colour() + " passed its health checks in " + seconds(e.durationMs());
        } else if (event instanceof EnvironmentUnhealthy e) {
            return "FAILED: " + e.reason();
        } else if (event instanceof AwaitingPromotion e) {
            return e.to() + " is healthy and waits for promotion";
        } else if (event instanceof PromoteRequested e) {
            return e.requestedBy() + " promoted it";
        } else if (event instanceof TrafficSwitched e) {
            return "traffic moved from " + e.from() + " to " + e.to();
        } else if (event instanceof SwitchFailed e) {
            return "FAILED: " + e.reason();
        } else if (event instanceof RolledBack e) {
            return "traffic moved back from " + e.from() + " to " + e.to();
        }
        return event.toString();
    }

    /** @return 0 when the event ends the deployment well, 1 when it ends it failed, -1 when it does not end it */
    static int outcome(PipelineEvent event) {
        if (event instanceof TrafficSwitched || event instanceof RolledBack) {
            return 0;
        }
        if (event instanceof ProvisioningFailed || event instanceof EnvironmentUnhealthy
                || event instanceof SwitchFailed) {
            return 1;
        }
        return -1;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
