package dev.bluegreen.gateway.deployment;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/**
 * The optional body of {@code POST /api/apps/{app}/rollbacks}:
 * {@code {"requestedBy":"bob","reason":"checkout is slow"}}.
 *
 * @param requestedBy who asks; the token's name when left out
 * @param reason why; {@value #NO_REASON} when left out
 */
record RollbackRequest(
        @Pattern(regexp = "[^\\p{Cntrl}\\p{Cf}]*", message = "must not contain control characters")
        @Size(max = 100) @Nullable String requestedBy,
        @Pattern(regexp = "[^\\p{Cntrl}\\p{Cf}]*", message = "must not contain control characters")
        @Size(max = 1000) @Nullable String reason) {

    static final String NO_REASON = "No reason was given.";

    static RollbackRequest none() {
        return new RollbackRequest(null, null);
    }

    /** @param tokenName the name of the token the request came with: who asks, unless the body says */
    String requester(String tokenName) {
        return requestedBy == null || requestedBy.isBlank() ? tokenName : requestedBy.strip();
    }

    String reasonOrDefault() {
        return reason == null || reason.isBlank() ? NO_REASON : reason.strip();
    }
}
