package dev.bluegreen.trafficplan;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * How a switch of an app's traffic tells that the new colour serves before it takes the old one out, as found on
 * the balancer now.
 *
 * @param method the way it tells
 * @param finding what was found, as a sentence
 * @param verifyUrl where {@code routing.verify} is asked, or null when it is not set or has nowhere to go
 */
public record Confirmation(Method method, String finding, @Nullable URI verifyUrl) {

    /** The ways, best first. */
    public enum Method {
        /** {@code routing.verify}: the new version answers through the balancer. */
        VERIFY,
        /** The balancer's health metrics name its droplets by id, in current samples. */
        HEALTH_METRICS,
        /** Nothing names the droplets: the time the balancer's health check needs, then the old colour goes. */
        WAIT
    }
}
