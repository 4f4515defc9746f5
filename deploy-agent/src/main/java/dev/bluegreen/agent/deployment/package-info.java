/**
 * The deployment flow: the app's lifecycle accepts a deploy request and names the colour to provision, the deploy
 * steps run on every droplet of that colour, and {@code EnvironmentProvisioned} or {@code ProvisioningFailed} go back
 * into the lifecycle.
 */
@NullMarked
package dev.bluegreen.agent.deployment;

import org.jspecify.annotations.NullMarked;
