package dev.bluegreen.sandbox.history;

import java.util.List;

/**
 * A change of the droplets an entry point targets.
 *
 * @param attached every droplet it targets from now on
 * @param added the droplets that joined
 * @param removed the droplets that left
 * @param cause what changed it, such as {@code droplets [3164402] were added by id} or
 *     {@code droplets [3164402] were given tag sample-app-live}
 */
public record AttachmentChange(Moment at, List<Long> attached, List<Long> added, List<Long> removed, String cause) {

    public AttachmentChange {
        attached = List.copyOf(attached);
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }
}
