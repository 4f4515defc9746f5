package dev.bluegreen.trafficplan;

import java.time.Duration;

import dev.bluegreen.digitalocean.LoadBalancer;

/**
 * How often a switch reads what it waits for, and how long a balancer's health sample stays current: the
 * traffic-router waits by these, and {@link SwitchPreview} states them, so a dry run says what a switch does.
 */
public final class SwitchTimings {

    /** Each poll of the metrics is an API call: a second apart keeps a two-minute wait well inside 250 a minute. */
    public static final Duration HEALTH_POLL = Duration.ofSeconds(1);
    /** The verify request goes to the app, not the API: it may be asked often. */
    public static final Duration VERIFY_POLL = Duration.ofMillis(250);
    /** How often a reserved IP's assign action is read until it completes. */
    public static final Duration ACTION_POLL = Duration.ofMillis(500);
    /** A sample is current for one check interval and this much more, for DigitalOcean's delay in showing it. */
    private static final Duration SAMPLE_LAG = Duration.ofSeconds(2);

    private SwitchTimings() {
    }

    /** How long a sample of this balancer's health stays current. */
    public static Duration staleAfter(LoadBalancer loadBalancer) {
        return Duration.ofSeconds(loadBalancer.check().checkIntervalSeconds()).plus(SAMPLE_LAG);
    }

    /** Such as "healthy_threshold 3 x check_interval_seconds 10 s, plus one interval". */
    public static String timeToServe(LoadBalancer loadBalancer) {
        return "healthy_threshold " + loadBalancer.check().healthyThreshold() + " × check_interval_seconds "
                + loadBalancer.check().checkIntervalSeconds() + " s, plus one interval";
    }
}
