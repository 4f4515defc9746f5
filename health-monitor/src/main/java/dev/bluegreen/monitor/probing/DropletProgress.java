package dev.bluegreen.monitor.probing;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.probe.Expectation;
import dev.bluegreen.probe.ProbeResult;

/**
 * How far one droplet has got with its checks: health probes sent, passes in a row so far, the last outcome, how
 * long it took, and the smoke checks' outcomes once it passed. A failed probe resets the passes in a row to zero.
 */
record DropletProgress(long dropletId, int probes, int passesInARow, @Nullable ProbeResult last, long durationMs,
        List<SmokeOutcome> smoke) {

    static DropletProgress notProbedYet(long dropletId) {
        return new DropletProgress(dropletId, 0, 0, null, 0, List.of());
    }

    DropletProgress after(ProbeResult result) {
        return new DropletProgress(dropletId, probes + 1, result.passed() ? passesInARow + 1 : 0, result, durationMs,
                smoke);
    }

    /** The same progress, {@code durationMs} after the check began. */
    DropletProgress took(long durationMs) {
        return new DropletProgress(dropletId, probes, passesInARow, last, durationMs, smoke);
    }

    DropletProgress withSmoke(List<SmokeOutcome> smoke) {
        return new DropletProgress(dropletId, probes, passesInARow, last, durationMs, List.copyOf(smoke));
    }

    boolean passed(int passesNeeded) {
        return passesInARow >= passesNeeded;
    }

    boolean passedSmoke() {
        return smoke.stream().allMatch(SmokeOutcome::passed);
    }

    DropletHealth health(int passesNeeded) {
        boolean passed = passed(passesNeeded);
        boolean healthy = passed && passedSmoke();
        return new DropletHealth(dropletId, healthy, probes + smoke.size(), lastResult(passed));
    }

    /** The last outcome, with the time it took to pass and the smoke checks' verdict when it got that far. */
    private String lastResult(boolean passed) {
        if (last == null) {
            return "no probe finished";
        }
        if (!passed) {
            return last.outcome();
        }
        String result = last.outcome() + "; healthy after " + durationMs + " ms";
        List<SmokeOutcome> failed = smoke.stream().filter(outcome -> !outcome.passed()).toList();
        if (!failed.isEmpty()) {
            return result + "; smoke check " + failed.get(0).expectation().path() + ": " + failed.get(0).result()
                    .outcome();
        }
        if (!smoke.isEmpty()) {
            return result + (smoke.size() == 1 ? "; its smoke check passed" : "; " + smoke.size()
                    + " smoke checks passed");
        }
        return result;
    }

    /** Why this droplet failed its health check, as a sentence a person understands. */
    String failure(int passesNeeded, String deadline) {
        String checks = passesNeeded == 1 ? "its health check" : passesNeeded + " health checks in a row";
        String lastWords = last == null ? "no probe finished in time"
                : (last.answered() ? "last answer: " : "last: ") + last.outcome();
        return "Droplet " + dropletId + " did not pass " + checks + " within " + deadline + "; " + lastWords;
    }

    /** Why this droplet failed its smoke checks, one sentence per failed check. */
    List<String> smokeFailures() {
        return smoke.stream()
                .filter(outcome -> !outcome.passed())
                .map(outcome -> "Smoke check " + outcome.expectation().path() + " on droplet " + dropletId
                        + " failed: " + outcome.result().outcome() + "; expected " + outcome.expectation().inWords())
                .toList();
    }

    /** One smoke check's request and its answer. */
    record SmokeOutcome(Expectation expectation, ProbeResult result) {

        boolean passed() {
            return result.passed();
        }
    }
}
