package dev.bluegreen.apps;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.jspecify.annotations.Nullable;

/**
 * How the traffic-router moves an app's traffic between colours.
 *
 * @param strategy {@code load-balancer} (default: droplets by id, or by tag when the balancer targets a tag) or
 *     {@code reserved-ip} (for an app without a load balancer: the reserved IP moves to the new colour's droplet)
 * @param reservedIp the reserved IP address, for the {@code reserved-ip} strategy
 * @param approvalRequired whether a healthy colour waits for PromoteRequested before traffic moves; default false
 * @param drainPeriod how long the old colour keeps serving after it was taken out (requests in flight finish);
 *     default 60 seconds, the balancer's idle timeout
 * @param settleTimeout how long to wait for the balancer to really serve the new colour before giving up and
 *     restoring the old; default 2 minutes
 * @param approvalTimeout how long a healthy colour waits for PromoteRequested before the deployment expires; default
 *     24 hours
 * @param verify a request the router sends through the load balancer until the new version answers it, before it
 *     takes the old colour out; null (the default) to go by the balancer's health metrics, or where they name no
 *     droplet, by the time its health check needs
 */
public record RoutingSpec(@NotNull Strategy strategy, @Nullable String reservedIp, @Nullable Boolean approvalRequired,
        @NotNull Duration drainPeriod, @NotNull Duration settleTimeout,
        @NotNull Duration approvalTimeout, @Nullable @Valid VerifySpec verify) {

    @ConstructorBinding
    public RoutingSpec {
        strategy = strategy == null ? Strategy.LOAD_BALANCER : strategy;
        approvalRequired = approvalRequired != null && approvalRequired;
        drainPeriod = drainPeriod == null ? Duration.ofSeconds(60) : drainPeriod;
        settleTimeout = settleTimeout == null ? Duration.ofMinutes(2) : settleTimeout;
        approvalTimeout = approvalTimeout == null ? Duration.ofHours(24) : approvalTimeout;
    }

    public RoutingSpec(Strategy strategy, @Nullable String reservedIp, @Nullable Boolean approvalRequired,
            Duration drainPeriod, Duration settleTimeout, Duration approvalTimeout) {
        this(strategy, reservedIp, approvalRequired, drainPeriod, settleTimeout, approvalTimeout, null);
    }

    public RoutingSpec(Strategy strategy, @Nullable String reservedIp, @Nullable Boolean approvalRequired,
            Duration drainPeriod, Duration settleTimeout) {
        this(strategy, reservedIp, approvalRequired, drainPeriod, settleTimeout, null, null);
    }

    static RoutingSpec defaults() {
        return new RoutingSpec(null, null, null, null, null, null, null);
    }

    public boolean requiresApproval() {
        return approvalRequired;
    }

    /** Where traffic is switched. */
    public enum Strategy {
        LOAD_BALANCER, RESERVED_IP
    }
}
