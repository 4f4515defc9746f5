package dev.bluegreen.gateway.deployment;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/apps/{app}/deployments}: {@code {"ref":"v2","requestedBy":"alice"}}.
 * The ref reaches git on the droplets (shell-quoted), so it may not start with a dash that git would take for an
 * option such as {@code --upload-pack}; it may hold no spaces either. Both fields reach the logs, so neither may
 * hold control characters that could forge a log line.
 *
 * @param ref the branch, tag or commit to deploy
 * @param requestedBy who asks; the token's name when left out
 */
record DeploymentRequest(
        @NotBlank(message = "must name a branch, tag or commit, such as \"v2\"")
        @Pattern(regexp = "[^\\s\\p{Cntrl}]*", message = "must not contain spaces or control characters")
        @Pattern(regexp = "(?s)(?!-).*", message = "must not start with '-'")
        @Size(max = 255) @Nullable String ref,
        @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        @Size(max = 100) @Nullable String requestedBy) {

    /** @param tokenName the name of the token the request came with: who asks, unless the body says */
    String requester(String tokenName) {
        return requestedBy == null || requestedBy.isBlank() ? tokenName : requestedBy.strip();
    }
}
