package dev.bluegreen.apps;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;

/**
 * One deploy step.
 *
 * @param name shown in events and logs, such as {@code install}
 * @param run the command template, run by the droplet's shell
 * @param timeout how long the step may run before it counts as failed
 */
public record StepSpec(@NotBlank String name, @NotBlank String run, Duration timeout) {

    public StepSpec {
        timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
    }
}
