package dev.bluegreen.monitor.bake;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.bluegreen.probe.ProbeResult;

/** One droplet's failed checks in a row during a bake: a passed check ends the streak. */
record FailureStreak(long dropletId, List<ProbeResult> failures) {

    /** Answers named in a reason, at most: the latest ones. */
    private static final int ANSWERS_NAMED = 5;

    static FailureStreak none(long dropletId) {
        return new FailureStreak(dropletId, List.of());
    }

    FailureStreak after(ProbeResult result) {
        if (result.passed()) {
            return none(dropletId);
        }
        List<ProbeResult> longer = new ArrayList<>(failures);
        longer.add(result);
        return new FailureStreak(dropletId, List.copyOf(longer));
    }

    int length() {
        return failures.size();
    }

    /** The streak's latest answers, as the end of a sentence. */
    String answers() {
        List<ProbeResult> named = failures.subList(Math.max(0, failures.size() - ANSWERS_NAMED), failures.size());
        String answers = named.stream().map(ProbeResult::outcome).collect(Collectors.joining("; "));
        return named.size() < failures.size() ? "the last " + named.size() + ": " + answers : answers;
    }
}
