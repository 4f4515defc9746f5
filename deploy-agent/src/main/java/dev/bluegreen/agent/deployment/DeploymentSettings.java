package dev.bluegreen.agent.deployment;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many deployments one agent instance runs at once ({@code bluegreen.deploy-agent.*}).
 *
 * @param maxConcurrentDeployments deployments provisioning at the same time on this instance, each of a different
 *     app
 * @param maxWaitingDeployments deployments that wait for a free slot; a deployment beyond that fails at once, saying
 *     the agent is busy
 */
@ConfigurationProperties("bluegreen.deploy-agent")
@Validated
record DeploymentSettings(
        @DefaultValue("4") @Positive int maxConcurrentDeployments,
        @DefaultValue("16") @PositiveOrZero int maxWaitingDeployments) {
}
