package dev.bluegreen.gateway.status;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.PreviewDroplet;

/**
 * A deployment (or rollback) as the gateway has seen it on Kafka: who asked for what, each event with its time and
 * outcome, and how it ended.
 *
 * @param kind {@code deployment} or {@code rollback}
 * @param outcome {@code running}, {@code awaiting-promotion}, {@code succeeded}, {@code failed}, {@code cancelled},
 *     {@code expired}, or {@code refused} (its request was refused, nothing was done)
 * @param reason why it did not succeed, when it did not
 * @param durationMs from the request to the end, once it ended
 * @param logBatches how many batches of deploy step output were published (they are on the stream, not here)
 * @param lastEventId the id of its latest event: a {@code Last-Event-ID} to follow it on the stream from there
 * @param preview while it waits for promotion: the new colour's droplets, to test before promoting or cancelling it
 *     (absent when the router that published AwaitingPromotion did not say)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(String deploymentId, String app, String kind, @Nullable String ref,
        @Nullable String commit, @Nullable String requestedBy, Instant requestedAt, String outcome,
        @Nullable String reason, @Nullable Colour colour, @Nullable Instant finishedAt, @Nullable Long durationMs,
        List<Step> steps, long logBatches, String lastEventId, @Nullable List<PreviewDroplet> preview) {

    public static final String RUNNING = "running";
    public static final String AWAITING_PROMOTION = "awaiting-promotion";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String EXPIRED = "expired";
    public static final String REFUSED = "refused";

    /** Whether it has ended, one way or another. */
    public boolean ended() {
        return !outcome.equals(RUNNING) && !outcome.equals(AWAITING_PROMOTION);
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
