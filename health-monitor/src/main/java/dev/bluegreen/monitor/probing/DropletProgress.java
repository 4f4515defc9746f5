package dev.bluegreen.monitor.probing;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.DropletHealth;

/**
 * How far one droplet has got with its health check: probes sent, passes in a row so far, and the last outcome.
 * A failed probe resets the passes in a row to zero.
 */
record DropletProgress(long dropletId, int probes, int passesInARow, @Nullable ProbeResult last) {

    static DropletProgress notProbedYet(long dropletId) {
        return new DropletProgress(dropletId, 0, 0, null);
    }

    DropletProgress after(ProbeResult result) {
        return new DropletProgress(dropletId, probes + 1, result.passed() ? passesInARow + 1 : 0, result);
    }

    boolean passed(int passesNeeded) {
        return passesInARow >= passesNeeded;
    }

    DropletHealth health(int passesNeeded) {
        return new DropletHealth(dropletId, passed(passesNeeded), probes, last == null ? "no probe finished" : last.outcome());
    }

    /** Why this droplet failed, as a sentence a person understands. */
    String failure(int passesNeeded, String deadline) {
        String checks = passesNeeded == 1 ? "its health check" : passesNeeded + " health checks in a row";
        String lastWords = last == null ? "no probe finished in time" : last.asLast();
        return "Droplet " + dropletId + " did not pass " + checks + " within " + deadline + "; " + lastWords;
    }
}
