package dev.bluegreen.gateway.deployment;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/apps/{app}/deployments}: {@code {"ref":"v2","requestedBy":"alice"}}.
 * The ref reaches git and the deploy steps on the droplets, so it must follow {@link dev.bluegreen.apps.GitRef}'s rules, which the
 * controller checks. {@code requestedBy} reaches the logs, history and chat, so it may hold no control characters
 * that could forge a log line, nor invisible formatting ones that could turn a name around.
 *
 * @param ref the branch, tag or commit to deploy
 * @param requestedBy who asks, as a note beside the token's name; the token's name when left out
 */
record DeploymentRequest(
        @NotBlank(message = "must name a branch, tag or commit, such as \"v2\"")
        @Size(max = 255) @Nullable String ref,
        @Pattern(regexp = "[^\\p{Cntrl}\\p{Cf}]*", message = "must not contain control characters")
        @Size(max = 100) @Nullable String requestedBy) {

    /** @param tokenName the name of the token the request came with: who asks, unless the body says */
    String requester(String tokenName) {
        return requestedBy == null || requestedBy.isBlank() ? tokenName : requestedBy.strip();
    }
}
