package dev.bluegreen.gateway.notification;

import java.util.Optional;

import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EventType;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.status.DeploymentView;

/** The sentence posted to chat for an event, or none for events people need not be told of. */
final class ChatMessages {

    private ChatMessages() {
    }

    static Optional<String> text(Envelope envelope, Optional<DeploymentView> deployment) {
        String app = envelope.subject();
        String id = envelope.deploymentId();
        String who = deployment.map(DeploymentView::askedBy).map(name -> ", asked by " + name).orElse("");
        if (envelope.data() instanceof TrafficSwitched e) {
            String ref = deployment.map(DeploymentView::ref).map(name -> name + " ").orElse("");
            return Optional.of(app + ": " + ref + "is live on " + e.to() + "; traffic moved from " + e.from()
                    + " (deployment " + id + who + ").");
        }
        if (envelope.data() instanceof RolledBack e) {
            return Optional.of(app + ": rolled back; traffic moved back from " + e.from() + " to " + e.to()
                    + " (rollback " + id + who + ").");
        }
        if (envelope.data() instanceof SwitchFailed e) {
            return Optional.of(app + ": traffic could not move from " + e.from() + " to " + e.to() + ": " + sentence(e.reason())
                    + " " + e.from() + " still serves (deployment " + id + who + ").");
        }
        if (envelope.data() instanceof ProvisioningFailed e) {
            return Optional.of(app + ": the deployment of " + e.ref() + " to " + e.colour() + " failed: " + sentence(e.reason())
                    + " Traffic was not touched (deployment " + id + who + ").");
        }
        if (envelope.data() instanceof EnvironmentUnhealthy e) {
            return Optional.of(app + ": " + e.ref() + " on " + e.colour() + " failed its health checks: " + sentence(e.reason())
                    + " Traffic was not touched (deployment " + id + who + ").");
        }
        if (envelope.data() instanceof DeploymentExpired e) {
            return Optional.of(app + ": deployment " + id + " ran out of time while " + e.phase() + ": "
                    + sentence(e.reason()));
        }
        if (envelope.data() instanceof RequestRefused e && endsTheDeployment(e)) {
            boolean rollback = e.request().equals(EventType.ROLLBACK_REQUESTED.wireName());
            String what = rollback ? "rollback"
                    : "deploy" + deployment.map(DeploymentView::ref).map(ref -> " of " + ref).orElse("");
            return Optional.of(app + ": the " + what + " was refused: " + sentence(e.reason()) + " ("
                    + (rollback ? "rollback " : "deployment ") + id + who + ").");
        }
        return Optional.empty();
    }

    /** A refused promote or cancel leaves its deployment where it was: not news for the chat. */
    private static boolean endsTheDeployment(RequestRefused refused) {
        return refused.request().equals(EventType.DEPLOY_REQUESTED.wireName())
                || refused.request().equals(EventType.ROLLBACK_REQUESTED.wireName());
    }

    private static String sentence(String reason) {
        String text = reason.strip();
        return text.endsWith(".") || text.endsWith("!") || text.endsWith("?") ? text : text + ".";
    }
}
