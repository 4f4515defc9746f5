package dev.bluegreen.apps;

import dev.bluegreen.lifecycle.Deadlines;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Colour;

/**
 * One app: where its code lives, its load balancer, its two colours of droplets, how to deploy it and how to tell
 * that it is healthy.
 *
 * @param loadBalancerId the DigitalOcean load balancer in front of the app
 * @param repository the git URL the droplets fetch from
 * @param branch the branch a push to which deploys the app
 * @param initialLiveColour the colour taken as live until the first switch is recorded
 * @param bastion the jump host in front of the droplets' SSH, or null when the deploy-agent reaches them directly
 * @param routing how traffic moves between the colours
 */
public record AppSpec(
        @NotBlank String loadBalancerId,
        @NotBlank String repository,
        @NotBlank String branch,
        @NotNull Colour initialLiveColour,
        @NotNull @Valid Droplets droplets,
        @NotNull @Valid DeploySpec deploy,
        @NotNull @Valid HealthCheckSpec health,
        @Nullable @Valid BastionSpec bastion,
        @NotNull @Valid RoutingSpec routing) {

    public AppSpec {
        branch = branch == null ? "main" : branch;
        initialLiveColour = initialLiveColour == null ? Colour.BLUE : initialLiveColour;
        deploy = deploy == null ? DeploySpec.defaults() : deploy;
        health = health == null ? HealthCheckSpec.defaults() : health;
        routing = routing == null ? RoutingSpec.defaults() : routing;
    }

    public java.util.List<DropletSpec> droplets(Colour colour) {
        return droplets.of(colour);
    }

    /** The colour the droplet belongs to, or null when it is none of this app's (or no droplet is given). */
    public @Nullable Colour colourOf(@Nullable Long dropletId) {
        for (Colour colour : Colour.values()) {
            if (droplets(colour).stream().anyMatch(droplet -> dropletId != null && droplet.id() == dropletId)) {
                return colour;
            }
        }
        return null;
    }

    /**
     * How long a deployment of this app may stay in each phase that waits: the deploy steps' deadline, the health
     * check's deadline plus a probe timeout and the smoke checks, and the approval timeout.
     */
    public Deadlines deadlines() {
        java.time.Duration checking = health.deadline().plus(health.timeout())
                .plus(health.timeout().multipliedBy(health.smoke().size()));
        return new Deadlines(deploy.deadline(), checking, routing.approvalTimeout());
    }
}
