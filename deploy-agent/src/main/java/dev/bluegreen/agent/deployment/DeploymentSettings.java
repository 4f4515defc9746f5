package dev.bluegreen.agent.deployment;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many deployments the agent runs at once ({@code bluegreen.deploy-agent.*}).
 *
 * @param maxConcurrentDeployments deployments provisioning at the same time, each of a different app
 * @param maxWaitingDeployments deployments that wait for a free slot; a request beyond that fails at once, saying the
 *     agent is busy
 * @param liveColourTimeout how long a deployment waits to have read every traffic switch recorded so far; without
 *     that it cannot know which colour is idle, and fails rather than risk deploying to the live one
 */
@ConfigurationProperties("bluegreen.deploy-agent")
@Validated
record DeploymentSettings(
        @DefaultValue("4") @Positive int maxConcurrentDeployments,
        @DefaultValue("16") @PositiveOrZero int maxWaitingDeployments,
        @DefaultValue("30s") @NotNull Duration liveColourTimeout) {
}
