package dev.bluegreen.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.Phase;

/**
 * How long an app's deployment may stay in each phase that waits on someone else: the deploy-agent, the
 * health-monitor, or a person's approval. A phase counts from when it was entered. Moving traffic has no deadline
 * here: only the traffic-router, which reads the balancer, can end a move it has begun (it has its own settle
 * timeout and drain period), so nothing else may call it over.
 *
 * @param provisioning how long the deploy steps may take on all droplets
 * @param checking how long the health and smoke checks may take
 * @param approval how long a healthy colour waits for PromoteRequested
 */
public record Deadlines(Duration provisioning, Duration checking, Duration approval) {

    public Deadlines {
        requirePositive("provisioning", provisioning);
        requirePositive("checking", checking);
        requirePositive("approval", approval);
    }

    /** When the phase the operation is in runs out; empty for a move of traffic, which has no deadline here. */
    public Optional<Instant> deadlineOf(Operation operation) {
        return limitOf(operation.phase()).map(operation.phaseSince()::plus);
    }

    /** How long {@code phase} may last; empty for {@link Phase#SWITCHING}. */
    public Optional<Duration> limitOf(Phase phase) {
        return switch (phase) {
            case PROVISIONING -> Optional.of(provisioning);
            case CHECKING -> Optional.of(checking);
            case AWAITING_APPROVAL -> Optional.of(approval);
            case SWITCHING -> Optional.empty();
        };
    }

    /**
     * The expiry to publish for the app at {@code now}, {@code grace} after the deadline of what is under way; empty
     * while it has time left, or when nothing that can expire is under way.
     */
    public Optional<DeploymentExpired> expiry(AppState state, Instant now, Duration grace) {
        Operation current = state.current();
        if (current == null) {
            return Optional.empty();
        }
        return deadlineOf(current)
                .filter(deadline -> !now.isBefore(deadline.plus(grace)))
                .map(deadline -> new DeploymentExpired(state.app(), current.phase(), reason(state, current)));
    }

    private String reason(AppState state, Operation current) {
        String limit = words(limitOf(current.phase()).orElseThrow());
        return switch (current.phase()) {
            case PROVISIONING -> "The deploy steps of deployment " + current.id() + " of " + state.app()
                    + " did not end within " + limit + "; " + current.target() + " may be half-provisioned and "
                    + "gets no traffic. " + state.live() + " keeps serving.";
            case CHECKING -> "The health check of " + current.target() + " for deployment " + current.id() + " of "
                    + state.app() + " did not end within " + limit + "; traffic stays on " + state.live() + ".";
            case AWAITING_APPROVAL -> "Nobody promoted deployment " + current.id() + " of " + state.app()
                    + " within " + limit + "; its switch was not made, and traffic stays on " + state.live() + ".";
            case SWITCHING -> throw new IllegalStateException("A move of traffic does not expire");
        };
    }

    static String words(Duration duration) {
        if (duration.toSeconds() < 120) {
            return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
        }
        if (duration.toMinutes() < 120) {
            return duration.toMinutes() + " min";
        }
        return duration.toHours() + " h";
    }

    private static void requirePositive(String name, Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("The " + name + " deadline must be positive, not " + duration);
        }
    }
}
