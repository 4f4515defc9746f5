package dev.bluegreen.apps;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * One deploy step.
 *
 * @param name shown in events and logs, such as {@code install}
 * @param run the command template, run by the droplet's shell
 * @param timeout how long the step may run before it counts as failed; default 5 minutes
 * @param abortOnFailure whether a failure of this step fails the deployment (default); when false, the failure is
 *     logged and the next step runs
 * @param runOnce whether it runs on one droplet of the colour only, before the other droplets begin their steps
 *     (default false): a database migration, say, which must neither run twice nor side by side with itself
 */
public record StepSpec(@NotBlank String name, @NotBlank String run, Duration timeout,
        @Nullable Boolean abortOnFailure, @Nullable Boolean runOnce) {

    @ConstructorBinding
    public StepSpec {
        timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
        abortOnFailure = abortOnFailure == null ? Boolean.TRUE : abortOnFailure;
        runOnce = runOnce != null && runOnce;
    }

    public StepSpec(String name, String run, Duration timeout, @Nullable Boolean abortOnFailure) {
        this(name, run, timeout, abortOnFailure, null);
    }

    public boolean aborts() {
        return abortOnFailure;
    }

    public boolean runsOnce() {
        return runOnce;
    }
}
