package dev.bluegreen.gateway.deployment;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/**
 * The optional body of {@code POST /api/apps/{app}/deployments/{deploymentId}/cancel}:
 * {@code {"reason":"the acceptance tests failed","requestedBy":"ci"}}.
 *
 * @param requestedBy who asks; the token's name when left out
 * @param reason why; none when left out
 */
record CancelRequest(
        @Pattern(regexp = "[^\\p{Cntrl}\\p{Cf}]*", message = "must not contain control characters")
        @Size(max = 100) @Nullable String requestedBy,
        @Pattern(regexp = "[^\\p{Cntrl}\\p{Cf}]*", message = "must not contain control characters")
        @Size(max = 1000) @Nullable String reason) {

    static CancelRequest none() {
        return new CancelRequest(null, null);
    }

    /** @param tokenName the name of the token the request came with: who asks, unless the body says */
    String requester(String tokenName) {
        return requestedBy == null || requestedBy.isBlank() ? tokenName : requestedBy.strip();
    }

    @Nullable String reasonOrNone() {
        return reason == null || reason.isBlank() ? null : reason.strip();
    }
}
