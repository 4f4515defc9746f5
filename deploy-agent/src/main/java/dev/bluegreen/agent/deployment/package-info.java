/**
 * The deployment flow: a {@code DeployRequested} event in, the deploy steps run on every idle droplet, and
 * {@code EnvironmentProvisioned} or {@code ProvisioningFailed} out.
 */
@NullMarked
package dev.bluegreen.agent.deployment;

import org.jspecify.annotations.NullMarked;
