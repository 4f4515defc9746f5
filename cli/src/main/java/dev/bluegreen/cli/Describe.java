package dev.bluegreen.cli;

import java.util.Locale;
import java.util.stream.Collectors;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.EventType;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PreviewDroplet;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;

/** A pipeline event in a few words, and whether it ends a deployment. */
final class Describe {

    /** How an event of a deployment ends it, in the gateway's words for outcomes. */
    enum Ending {
        /** It does not end it. */
        NONE(""),
        SUCCEEDED("succeeded"),
        FAILED("failed"),
        /** The deployment's own request was refused: nothing was done. */
        REFUSED("refused"),
        /**
         * It ends it only if the state machine took it: a cancel may come too late, an expiry may come after the
         * deployment moved on. The gateway, which has the state machine's answer, tells.
         */
        TO_CONFIRM("");

        private final String word;

        Ending(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }
    }

    private Describe() {
    }

    static String event(PipelineEvent event) {
        if (event instanceof DeployRequested e) {
            return who(e.requestedBy(), e.actor()) + " asked to deploy " + e.ref();
        } else if (event instanceof RollbackRequested e) {
            return who(e.requestedBy(), e.actor()) + " asked to roll back: " + e.reason();
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
            return e.to() + " is healthy and waits for promotion" + (e.preview() == null || e.preview().isEmpty() ? ""
                    : "; preview: " + e.preview().stream().map(PreviewDroplet::url).collect(Collectors.joining(" ")));
        } else if (event instanceof PromoteRequested e) {
            return who(e.requestedBy(), e.actor()) + " promoted it";
        } else if (event instanceof TrafficSwitched e) {
            return "traffic moved from " + e.from() + " to " + e.to();
        } else if (event instanceof SwitchFailed e) {
            return "FAILED: " + e.reason();
        } else if (event instanceof RolledBack e) {
            return "traffic moved back from " + e.from() + " to " + e.to();
        } else if (event instanceof CancelRequested e) {
            return who(e.requestedBy(), e.actor()) + " asked to cancel it" + (e.reason() == null || e.reason().isBlank() ? ""
                    : ": " + e.reason());
        } else if (event instanceof DeploymentExpired e) {
            return "EXPIRED while " + e.phase() + ": " + e.reason();
        } else if (event instanceof RequestRefused e) {
            return (endsTheDeployment(e) ? "REFUSED: " : words(e.request()) + " was refused: ") + e.reason();
        } else if (event instanceof DriftDetected e) {
            return "the balancer serves " + e.servingColours() + ", not " + e.recordedLive() + " as recorded: "
                    + e.detail();
        }
        return event.toString();
    }

    /**
     * Who asked: the name the request gave, and the token it came with when that is another name
     * ({@code alice via ci}), since the name alone is only what the token's holder wrote.
     */
    static String who(String requestedBy, String actor) {
        return actor == null || actor.equals(requestedBy) ? requestedBy : requestedBy + " via " + actor;
    }

    static Ending ending(PipelineEvent event) {
        if (event instanceof TrafficSwitched || event instanceof RolledBack) {
            return Ending.SUCCEEDED;
        }
        if (event instanceof ProvisioningFailed || event instanceof EnvironmentUnhealthy
                || event instanceof SwitchFailed) {
            return Ending.FAILED;
        }
        if (event instanceof RequestRefused refused) {
            // a refused promote or cancel leaves the deployment where it was
            return endsTheDeployment(refused) ? Ending.REFUSED : Ending.NONE;
        }
        if (event instanceof CancelRequested || event instanceof DeploymentExpired) {
            return Ending.TO_CONFIRM;
        }
        return Ending.NONE;
    }

    private static boolean endsTheDeployment(RequestRefused refused) {
        return EventType.DEPLOY_REQUESTED.wireName().equals(refused.request())
                || EventType.ROLLBACK_REQUESTED.wireName().equals(refused.request());
    }

    /** "the promotion" for PromoteRequested, "the cancel" for CancelRequested. */
    private static String words(String request) {
        if (EventType.PROMOTE_REQUESTED.wireName().equals(request)) {
            return "the promotion";
        }
        if (EventType.CANCEL_REQUESTED.wireName().equals(request)) {
            return "the cancel";
        }
        return request;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
