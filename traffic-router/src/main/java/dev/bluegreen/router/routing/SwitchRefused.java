package dev.bluegreen.router.routing;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.SwitchFailed;

/**
 * A switch that stopped, with the reason a person reads in {@link SwitchFailed}: what went wrong and what the
 * load balancer still serves. An expected outcome, so it carries no stack trace.
 */
final class SwitchRefused extends RuntimeException {

    private final @Nullable Colour from;
    private final @Nullable Colour to;
    private final boolean bothServing;

    SwitchRefused(@Nullable Colour from, @Nullable Colour to, String reason) {
        this(from, to, reason, false);
    }

    /**
     * @param bothServing whether the balancer was left with both colours attached: a colour that serves must never be
     *     deployed to, so the history has to hear of it before the move ends
     */
    SwitchRefused(@Nullable Colour from, @Nullable Colour to, String reason, boolean bothServing) {
        super(reason, null, false, false);
        this.from = from;
        this.to = to;
        this.bothServing = bothServing;
    }

    SwitchFailed event(String app) {
        return new SwitchFailed(app, from, to, getMessage());
    }

    /** SwitchFailed, after DriftDetected of both colours when the balancer was left serving both. */
    List<PipelineEvent> events(String app, Colour recordedLive) {
        if (!bothServing) {
            return List.of(event(app));
        }
        return List.of(new DriftDetected(app, recordedLive, List.of(Colour.BLUE, Colour.GREEN), getMessage()),
                event(app));
    }
}
