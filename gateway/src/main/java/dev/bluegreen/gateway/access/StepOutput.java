package dev.bluegreen.gateway.access;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.SwitchFailed;

/**
 * What a droplet said, taken out of what a reader without a token for the app is shown. The deploy-agent masks the
 * secrets it knows, but not those that live only on a droplet: a {@code .env} printed by a failing step, a traceback
 * with a database URL in a health probe's answer. So a public gateway serves no step output ({@link DeploymentLog}
 * and {@code outputTail}) and no excerpt of a probe's body, which the health-monitor quotes in parentheses after the
 * probe's status ({@code 503 in 4 ms (database unreachable)}) in the reasons it gives: of a failed check, of the
 * automatic rollback its bake watch asks for, and in those the other services pass on (an expiry, a failed switch, a
 * refusal). A person's own words (a cancel's reason) are shown as they are.
 */
public final class StepOutput {

    /**
     * A probe's status, then its body's excerpt: at most 80 characters and an ellipsis, which may hold parentheses
     * of its own, so the excerpt ends at the last closing parenthesis within its reach. Hiding a few words after it
     * is better than showing a few of it.
     */
    private static final Pattern PROBE_BODY = Pattern.compile(
            "(\\b\\d{3} in \\d+ ms(?:, but the body lacks \"[^\"]*\")?) \\(.{0,81}\\)");
    static final String HIDDEN = "$1 (body hidden)";

    private StepOutput() {
    }

    /** The envelope as a reader without output sees it; empty when it is all output. */
    public static Optional<Envelope> hiddenIn(Envelope envelope) {
        PipelineEvent data = envelope.data();
        if (data instanceof DeploymentLog) {
            return Optional.empty();
        }
        PipelineEvent shown = data;
        if (data instanceof ProvisioningFailed e) {
            shown = new ProvisioningFailed(e.app(), e.colour(), e.ref(), hideProbeBodies(e.reason()), e.dropletId(),
                    e.step(), e.exitCode(), null);
        } else if (data instanceof EnvironmentUnhealthy e) {
            shown = new EnvironmentUnhealthy(e.app(), e.colour(), e.ref(), hideProbeBodies(e.reason()),
                    hidden(e.droplets()), e.durationMs());
        } else if (data instanceof EnvironmentHealthy e) {
            shown = new EnvironmentHealthy(e.app(), e.colour(), e.ref(), e.commit(), hidden(e.droplets()),
                    e.durationMs());
        } else if (data instanceof RollbackRequested e) {
            shown = new RollbackRequested(e.app(), e.requestedBy(), hideProbeBodies(e.reason()),
                    e.revertsDeployment(), e.actor());
        } else if (data instanceof DeploymentExpired e) {
            shown = new DeploymentExpired(e.app(), e.phase(), hideProbeBodies(e.reason()));
        } else if (data instanceof SwitchFailed e) {
            shown = new SwitchFailed(e.app(), e.from(), e.to(), hideProbeBodies(e.reason()));
        } else if (data instanceof RequestRefused e) {
            shown = new RequestRefused(e.app(), e.request(), hideProbeBodies(e.reason()));
        }
        if (shown.equals(data)) {
            return Optional.of(envelope);
        }
        return Optional.of(new Envelope(envelope.id(), envelope.type(), envelope.version(), envelope.time(),
                envelope.source(), envelope.subject(), envelope.deploymentId(), shown));
    }

    /** A reason or summary with every probe body's excerpt replaced by {@code (body hidden)}. */
    public static String hideProbeBodies(String text) {
        return PROBE_BODY.matcher(text).replaceAll(HIDDEN);
    }

    private static List<DropletHealth> hidden(List<DropletHealth> droplets) {
        return droplets.stream().map(droplet -> new DropletHealth(droplet.dropletId(), droplet.healthy(),
                droplet.probes(), hideProbeBodies(droplet.lastResult()))).toList();
    }
}
