package dev.bluegreen.sandbox.digitalocean;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How {@code GET /v2/monitoring/metrics/load_balancer/droplets_health_checks} answers. DigitalOcean's description
 * gives the answer's outline (Prometheus-style series of {@code [time, "value"]}) but neither the labels that name a
 * droplet nor how often a sample is taken, so the simulator offers each shape a real balancer might give rather than
 * choosing one; a client must work under every one of them.
 */
public enum HealthMetricsShape {

    /** One series per droplet, labelled {@code lb_id} and {@code droplet_id}, a sample each second: the guess. */
    BY_DROPLET_ID,
    /** One series per droplet, a sample each second, but labelled {@code lb_id} and {@code instance} (its address). */
    OTHER_LABELS,
    /** {@code "result": []}: the balancer reports nothing. */
    EMPTY,
    /** 404 {@code not_found}, as where the monitoring path is not offered. */
    NOT_FOUND,
    /**
     * Series labelled {@code droplet_id}, but one sample every {@value #MINUTES_APART_SECONDS} s (on the multiples of
     * it), each the health at that second: a recent window mostly holds no sample, and the latest is stale.
     */
    MINUTES_APART;

    /** The spacing of samples in {@link #MINUTES_APART}. */
    public static final int MINUTES_APART_SECONDS = 300;

    /** Such as {@code by-droplet-id}, as the sandbox's command line names it. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The shape a command-line option names.
     *
     * @throws IllegalArgumentException naming the shapes there are
     */
    public static HealthMetricsShape ofOption(String option) {
        return Arrays.stream(values()).filter(shape -> shape.optionName().equals(option)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--health-metrics must be one of " + Arrays
                        .stream(values()).map(HealthMetricsShape::optionName).collect(Collectors.joining(", "))
                        + ", was '" + option + "'"));
    }
}
