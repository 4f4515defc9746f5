package dev.bluegreen.router.routing;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.SwitchFailed;

/**
 * A switch that stopped, with the reason a person reads in {@link SwitchFailed}: what went wrong and what the
 * load balancer still serves. An expected outcome, so it carries no stack trace.
 */
final class SwitchRefused extends RuntimeException {

    private final @Nullable Colour from;
    private final @Nullable Colour to;

    SwitchRefused(@Nullable Colour from, @Nullable Colour to, String reason) {
        super(reason, null, false, false);
        this.from = from;
        this.to = to;
    }

    SwitchFailed event(String app) {
        return new SwitchFailed(app, from, to, getMessage());
    }
}
