package dev.bluegreen.gateway.deployment;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/apps/{app}/promotions}: {@code {"deploymentId":"...","requestedBy":"carol"}}.
 *
 * @param deploymentId the deployment whose healthy colour should take the traffic
 * @param requestedBy who approves; the token's name when left out
 */
record PromotionRequest(
        @NotBlank(message = "must name the deployment to promote")
        @Pattern(regexp = "[\\w.-]*", message = "must be a deployment id")
        @Size(max = 100) @Nullable String deploymentId,
        @Pattern(regexp = "[^\\p{Cntrl}\\p{Cf}]*", message = "must not contain control characters")
        @Size(max = 100) @Nullable String requestedBy) {

    /** @param tokenName the name of the token the request came with: who asks, unless the body says */
    String requester(String tokenName) {
        return requestedBy == null || requestedBy.isBlank() ? tokenName : requestedBy.strip();
    }
}
