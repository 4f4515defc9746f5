package dev.bluegreen.trafficplan;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.digitalocean.LoadBalancer;
import dev.bluegreen.events.Colour;

/**
 * An app's load balancer as just read, seen through the app's two colours: which of their droplets it sends
 * traffic to. Droplets of neither colour are none of bluegreen's business and are left alone.
 */
public record BalancerState(String app, AppSpec spec, LoadBalancer loadBalancer) {

    public String id() {
        return loadBalancer.id();
    }

    /** The droplets the apps file configures for the colour. */
    public List<Long> configured(Colour colour) {
        return spec.droplets(colour).stream().map(DropletSpec::id).toList();
    }

    /** The colour's droplets that the balancer sends traffic to. */
    public List<Long> attached(Colour colour) {
        return configured(colour).stream().filter(loadBalancer.dropletIds()::contains).toList();
    }

    /** The colour's droplets that the balancer does not send traffic to yet. */
    public List<Long> detached(Colour colour) {
        return configured(colour).stream().filter(id -> !loadBalancer.dropletIds().contains(id)).toList();
    }

    /** The colours with at least one droplet attached. */
    public Set<Colour> liveColours() {
        return EnumSet.allOf(Colour.class).stream()
                .filter(colour -> !attached(colour).isEmpty())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Colour.class)));
    }
}
