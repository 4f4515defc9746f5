package dev.bluegreen.events;

import java.util.List;

/**
 * The load balancer does not send traffic where the recorded history says it does: someone moved it by hand, or a
 * switch was cut short. Published by the traffic-router when it reads the balancer before a move; the app's state then
 * takes the balancer's word for which colour is live, and counts the other colour as touched.
 *
 * @param recordedLive the colour the history says is live
 * @param servingColours the colours with droplets the balancer sends traffic to now
 * @param detail what was seen, in words a person understands
 */
public record DriftDetected(String app, Colour recordedLive, List<Colour> servingColours, String detail)
        implements PipelineEvent {

    public DriftDetected {
        servingColours = List.copyOf(servingColours);
    }
}
