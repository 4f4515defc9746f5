package dev.bluegreen.apps;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;

import org.jspecify.annotations.Nullable;

/**
 * One deploy step.
 *
 * @param name shown in events and logs, such as {@code install}
 * @param run the command template, run by the droplet's shell
 * @param timeout how long the step may run before it counts as failed; default 5 minutes
 * @param abortOnFailure whether a failure of this step fails the deployment (default); when false, the failure is
 *     logged and the next step runs
 */
public record StepSpec(@NotBlank String name, @NotBlank String run, Duration timeout,
        @Nullable Boolean abortOnFailure) {

    public StepSpec {
        timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
        abortOnFailure = abortOnFailure == null ? Boolean.TRUE : abortOnFailure;
    }

    public boolean aborts() {
        return abortOnFailure;
    }
}
