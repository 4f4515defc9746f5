package dev.bluegreen.sandbox;

/**
 * How a {@link Sandbox} sends users to the live colour, and so how the traffic-router moves them.
 */
public enum TrafficMode {

    /** A load balancer that lists the live droplets by id; the router adds and removes droplets. */
    LOAD_BALANCER_BY_ID,

    /**
     * A load balancer that targets the tag {@code <app>-live}, which the blue droplets carry from the start; the
     * router moves the tag.
     */
    LOAD_BALANCER_BY_TAG,

    /**
     * A reserved IP that points at the first blue droplet; the router assigns it to another droplet. The load
     * balancer (by id) exists too, since every app names one, but the apps file routes by the reserved IP.
     */
    RESERVED_IP
}
