package dev.bluegreen.gateway.status;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.PreviewDroplet;
import dev.bluegreen.gateway.access.StepOutput;

/**
 * A deployment (or rollback) as the gateway has seen it on Kafka: who asked for what, each event with its time and
 * outcome, and how it ended.
 *
 * @param kind {@code deployment} or {@code rollback}
 * @param requestedBy who asked, as the request said: a note, which a token's holder may set to any name
 * @param actor the credential the request came with, as the gateway checked it: a token's name, or
 *     {@code github webhook} / {@code gitlab webhook}; absent for requests recorded before the gateway said
 * @param outcome {@code running}, {@code awaiting-promotion}, {@code succeeded}, {@code failed}, {@code cancelled},
 *     {@code expired}, or {@code refused} (its request was refused, nothing was done)
 * @param reason why it did not succeed, when it did not
 * @param durationMs from the request to the end, once it ended
 * @param logBatches how many batches of deploy step output were published (they are on the stream, not here)
 * @param lastEventId the id of its latest event: a {@code Last-Event-ID} to follow it on the stream from there
 * @param preview while it waits for promotion: the new colour's droplets, to test before promoting or cancelling it
 *     (absent when the router that published AwaitingPromotion did not say)
 * @param bake the watch over the colour it put live, once a deployment switched traffic; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(String deploymentId, String app, String kind, @Nullable String ref,
        @Nullable String commit, @Nullable String requestedBy, @Nullable String actor, Instant requestedAt,
        String outcome,
        @Nullable String reason, @Nullable Colour colour, @Nullable Instant finishedAt, @Nullable Long durationMs,
        List<Step> steps, long logBatches, String lastEventId, @Nullable List<PreviewDroplet> preview,
        @Nullable Bake bake) {

    public static final String RUNNING = "running";
    public static final String AWAITING_PROMOTION = "awaiting-promotion";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String EXPIRED = "expired";
    public static final String REFUSED = "refused";

    /** As a reader without step output sees it: no excerpt of a probe's body in its reason or steps. */
    public DeploymentView withoutOutput() {
        return new DeploymentView(deploymentId, app, kind, ref, commit, requestedBy, actor, requestedAt, outcome,
                reason == null ? null : StepOutput.hideProbeBodies(reason), colour, finishedAt, durationMs,
                steps.stream().map(step -> new Step(step.event(), step.time(), step.source(), step.outcome(),
                        StepOutput.hideProbeBodies(step.summary()), step.eventId())).toList(),
                logBatches, lastEventId, preview, bake == null || bake.reason() == null ? bake
                        : new Bake(bake.state(), bake.since(), bake.until(), bake.endedAt(),
                                StepOutput.hideProbeBodies(bake.reason()), bake.rollbackId()));
    }

    /** Who asked, as people read it, such as {@code alice via ci}; null when the history does not say. */
    public @Nullable String askedBy() {
        return requestedBy == null ? null : who(requestedBy, actor);
    }

    /**
     * Who asked, as people read it: the name the request gave, and the token it came with when that is another name
     * ({@code alice via ci}), since the name alone is only what the token's holder wrote.
     */
    public static String who(String requestedBy, @Nullable String actor) {
        return actor == null || actor.equals(requestedBy) ? requestedBy : requestedBy + " via " + actor;
    }

    /** Whether it has ended, one way or another. */
    public boolean ended() {
        return !outcome.equals(RUNNING) && !outcome.equals(AWAITING_PROMOTION);
    }

    /**
     * The bake watch after a deployment's switch: the health-monitor probes the colour that went live until
     * {@code health.bake.period} after the switch, and asks on its own for a rollback of this deployment if a droplet
     * fails there.
     *
     * @param state {@code watching} (its period runs and nothing ended it), {@code passed} (its period ended and no
     *     rollback was asked for), {@code failed} (the health-monitor asked for a rollback of this deployment) or
     *     {@code ended} (something ended the watch before its period did: a later deployment or rollback, or drift)
     * @param since when traffic moved: the period counts from here
     * @param until when the period ends
     * @param endedAt when it failed or ended early
     * @param reason why it failed, in the health-monitor's words, or what ended it early
     * @param rollbackId the rollback the health-monitor asked for, when it failed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bake(String state, Instant since, Instant until, @Nullable Instant endedAt, @Nullable String reason,
            @Nullable String rollbackId) {

        public static final String WATCHING = "watching";
        public static final String PASSED = "passed";
        public static final String FAILED = "failed";
        public static final String ENDED = "ended";
    }

    /**
     * One event of the deployment.
     *
     * @param outcome {@code ok}, {@code failed}, {@code waiting} or {@code refused}
     * @param summary what happened, in a few words
     */
    public record Step(String event, Instant time, String source, String outcome, String summary, String eventId) {
    }
}
