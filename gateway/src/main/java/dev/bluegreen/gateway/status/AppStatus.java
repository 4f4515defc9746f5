package dev.bluegreen.gateway.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.PreviewDroplet;
import dev.bluegreen.gateway.access.StepOutput;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Bake;
import dev.bluegreen.lifecycle.ColourRecord;
import dev.bluegreen.lifecycle.Deadlines;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.lifecycle.Outcome;

/**
 * What is live for an app now, what each colour holds, and what is under way: the app's state as the shared state
 * machine folded it, in the API's words.
 *
 * @param phase {@code idle}, or the phase of what is under way ({@code provisioning}, {@code checking},
 *     {@code awaiting-approval}, {@code switching})
 * @param liveRef the ref the live colour runs, when the history tells
 * @param liveCommit the commit the live colour runs, when the history tells
 * @param current the deployment or rollback under way, if any
 * @param last how the last deployment or rollback ended, if one did
 * @param preview the idle colour's droplets, reached directly rather than through the balancer
 * @param bake the watch over the colour that went live last, while its period runs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AppStatus(String app, Colour liveColour, String phase, @Nullable String liveRef, @Nullable String liveCommit,
        Colours colours, @Nullable Current current, @Nullable Last last, Preview preview, @Nullable Baking bake) {

    static final String IDLE = "idle";

    static AppStatus of(AppState state, AppSpec spec, Instant now) {
        ColourRecord live = state.colour(state.live());
        Operation operation = state.current();
        Outcome outcome = state.last();
        return new AppStatus(state.app(), state.live(),
                operation == null ? IDLE : operation.phase().wireName(), live.ref(), live.commit(),
                new Colours(ColourView.of(state.blue()), ColourView.of(state.green())),
                operation == null ? null : Current.of(operation, spec.deadlines()),
                outcome == null ? null : Last.of(outcome), Preview.of(state.idle(), spec),
                Baking.of(state.bake(), spec.health().bake().period(), now));
    }

    /** As a reader without step output sees it: no excerpt of a probe's body in how the last one ended. */
    AppStatus withoutOutput() {
        if (last == null || last.reason() == null) {
            return this;
        }
        Last hidden = new Last(last.deploymentId(), last.kind(), last.result(),
                StepOutput.hideProbeBodies(last.reason()), last.at());
        return new AppStatus(app, liveColour, phase, liveRef, liveCommit, colours, current, hidden, preview, bake);
    }

    record Colours(ColourView blue, ColourView green) {
    }

    /**
     * @param status {@code live} (takes the traffic), {@code warm} (served before, untouched since: a rollback may go
     *     back to it) or {@code touched} (deployed to since it last served, or never served)
     * @param deploymentId the deployment that last put code on it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ColourView(String status, @Nullable String ref, @Nullable String commit, @Nullable String deploymentId) {

        static ColourView of(ColourRecord record) {
            return new ColourView(words(record.status()), record.ref(), record.commit(), record.deploymentId());
        }
    }

    /**
     * @param target the colour it provisions, or moves traffic to
     * @param phaseSince when it entered its phase
     * @param deadline when its phase runs out and it expires; absent while traffic moves, which has no deadline
     * @param promoted whether its switch was approved
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Current(String deploymentId, String kind, Phase phase, Colour target, @Nullable String ref,
            @Nullable String commit, String requestedBy, Instant requestedAt, Instant phaseSince,
            @Nullable Instant deadline, boolean promoted) {

        static Current of(Operation operation, Deadlines deadlines) {
            return new Current(operation.id(), words(operation.kind()), operation.phase(), operation.target(),
                    operation.ref(), operation.commit(), operation.requestedBy(), operation.requestedAt(),
                    operation.phaseSince(), deadlines.deadlineOf(operation).orElse(null), operation.promoted());
        }
    }

    /** @param result {@code succeeded}, {@code failed}, {@code cancelled} or {@code expired} */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Last(String deploymentId, String kind, String result, @Nullable String reason, Instant at) {

        static Last of(Outcome outcome) {
            return new Last(outcome.id(), words(outcome.kind()), words(outcome.result()), outcome.reason(),
                    outcome.at());
        }
    }

    /**
     * The colour that takes no traffic, as the apps file gives its droplets: while a deployment waits for promotion,
     * the new version, which a CI job can test before it promotes or cancels the deployment.
     */
    record Preview(Colour colour, List<PreviewDroplet> droplets) {

        static Preview of(Colour colour, AppSpec spec) {
            return new Preview(colour, spec.droplets(colour).stream()
                    .map(droplet -> PreviewDroplet.of(droplet.id(), droplet.http())).toList());
        }
    }

    /**
     * The health-monitor watches the colour that went live in {@code deploymentId} until {@code until}, and may ask on
     * its own for a rollback of that deployment. The app's state holds a bake until something ends it; its period is
     * counted here, from the apps file's {@code health.bake.period}.
     */
    record Baking(String deploymentId, Colour colour, Instant since, Instant until) {

        static @Nullable Baking of(@Nullable Bake bake, Duration period, Instant now) {
            if (bake == null || !now.isBefore(bake.since().plus(period))) {
                return null;
            }
            return new Baking(bake.deploymentId(), bake.colour(), bake.since(), bake.since().plus(period));
        }
    }

    static String words(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
