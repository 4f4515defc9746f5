package dev.bluegreen.trafficplan;

import java.util.List;

import dev.bluegreen.digitalocean.DigitalOceanClient;
import reactor.core.publisher.Mono;

/**
 * How droplets start and stop taking a balancer's traffic: by id, or, for a balancer that targets a tag, by
 * tagging and untagging them (DigitalOcean refuses droplet ids on such a balancer).
 */
public interface TrafficTargets {

    Mono<Void> add(List<Long> dropletIds);

    Mono<Void> remove(List<Long> dropletIds);

    /** Such as "load balancer 4de7..." or "tag shop:live of load balancer 4de7...", for reasons. */
    String describe();

    /** The API call {@link #add} makes, for a dry run, such as {@code POST /v2/load_balancers/4de7.../droplets}. */
    String addCall(List<Long> dropletIds);

    /** The API call {@link #remove} makes, for a dry run. */
    String removeCall(List<Long> dropletIds);

    static TrafficTargets of(BalancerState balancer, DigitalOceanClient digitalOcean) {
        String tag = balancer.loadBalancer().tag();
        if (tag == null) {
            return new TrafficTargets() {
                @Override
                public Mono<Void> add(List<Long> dropletIds) {
                    return digitalOcean.addDroplets(balancer.id(), dropletIds);
                }

                @Override
                public Mono<Void> remove(List<Long> dropletIds) {
                    return digitalOcean.removeDroplets(balancer.id(), dropletIds);
                }

                @Override
                public String describe() {
                    return "load balancer " + balancer.id();
                }

                @Override
                public String addCall(List<Long> dropletIds) {
                    return "POST /v2/load_balancers/" + balancer.id() + "/droplets " + dropletIdsBody(dropletIds);
                }

                @Override
                public String removeCall(List<Long> dropletIds) {
                    return "DELETE /v2/load_balancers/" + balancer.id() + "/droplets " + dropletIdsBody(dropletIds);
                }
            };
        }
        return new TrafficTargets() {
            @Override
            public Mono<Void> add(List<Long> dropletIds) {
                return digitalOcean.tagDroplets(tag, dropletIds);
            }

            @Override
            public Mono<Void> remove(List<Long> dropletIds) {
                return digitalOcean.untagDroplets(tag, dropletIds);
            }

            @Override
            public String describe() {
                return "tag '" + tag + "' of load balancer " + balancer.id();
            }

            @Override
            public String addCall(List<Long> dropletIds) {
                return "POST /v2/tags/" + tag + "/resources for droplets " + SwitchWords.joined(dropletIds);
            }

            @Override
            public String removeCall(List<Long> dropletIds) {
                return "DELETE /v2/tags/" + tag + "/resources for droplets " + SwitchWords.joined(dropletIds);
            }
        };
    }

    private static String dropletIdsBody(List<Long> dropletIds) {
        return "{\"droplet_ids\": [" + SwitchWords.joined(dropletIds) + "]}";
    }
}
