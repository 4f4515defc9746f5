package dev.bluegreen.gateway.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a webhook delivery, which the git host shows in its delivery log.
 *
 * @param outcome {@code pong}, {@code deploying}, {@code already-received} (this push of this commit was deployed
 *     already), {@code not-newest} (the ref has moved on from this commit) or {@code ignored}
 * @param reason in words, why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WebhookAnswer(String outcome, String reason, @Nullable String deploymentId, @Nullable String ref,
        @Nullable String commit, @Nullable String compare, @Nullable String events) {

    static WebhookAnswer ignored(String reason) {
        return new WebhookAnswer("ignored", reason, null, null, null, null, null);
    }
}
