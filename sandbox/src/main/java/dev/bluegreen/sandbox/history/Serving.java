package dev.bluegreen.sandbox.history;

import org.jspecify.annotations.Nullable;

/** A droplet taking traffic from one entry point, from a moment on; guarded by the history's lock. */
final class Serving {

    final EntryPoint entryPoint;
    final long dropletId;
    final Moment from;
    @Nullable Moment until;

    Serving(EntryPoint entryPoint, long dropletId, Moment from) {
        this.entryPoint = entryPoint;
        this.dropletId = dropletId;
        this.from = from;
    }

    ServingSpan snapshot() {
        return new ServingSpan(entryPoint.id, entryPoint.describedName(), entryPoint.healthChecked, dropletId,
                new Span(from, until));
    }
}
