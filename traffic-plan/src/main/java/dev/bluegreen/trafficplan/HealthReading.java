package dev.bluegreen.trafficplan;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.digitalocean.HealthMetrics;

/**
 * One reading of a balancer's health metrics, seen from the droplets a switch waits for: which of them a current
 * sample names, and whether it passes. A sample is current when it was taken since the droplets were added and
 * within {@code stale} of now; DigitalOcean documents neither the labels nor the sampling, so a reading that names
 * none of them says nothing either way, and {@link #silence()} says why.
 *
 * @param current the awaited droplets a current sample names, and whether it passes
 * @param awaited the droplets the switch waits for
 * @param offered false when the metrics path answered 404: asking again will not help
 * @param silence why no current sample names an awaited droplet, or null when one does
 */
public record HealthReading(Map<Long, Boolean> current, List<Long> awaited, boolean offered, @Nullable String silence) {

    public static HealthReading of(HealthMetrics metrics, List<Long> awaited, Instant since, Instant now,
            Duration stale) {
        Map<Long, Boolean> current = new LinkedHashMap<>();
        HealthMetrics.Sample newest = null;
        long newestDroplet = 0;
        for (long id : awaited) {
            HealthMetrics.Sample sample = metrics.byDroplet().get(id);
            if (sample == null) {
                continue;
            }
            if (newest == null || sample.at().isAfter(newest.at())) {
                newest = sample;
                newestDroplet = id;
            }
            if (!sample.at().isBefore(since.truncatedTo(ChronoUnit.SECONDS))
                    && !sample.at().isBefore(now.minus(stale))) {
                current.put(id, sample.passing());
            }
        }
        if (!current.isEmpty()) {
            return new HealthReading(current, awaited, true, null);
        }
        String silence;
        if (newest != null) {
            silence = "the latest sample of droplet " + newestDroplet + " is " + SwitchWords.seconds(
                    Duration.between(newest.at(), now).withNanos(0)) + " old";
        } else if (metrics.otherSeries() > 0) {
            silence = "its series are labelled " + String.join(", ", metrics.otherLabels()) + ", not by droplet id";
        } else if (!metrics.byDroplet().isEmpty()) {
            silence = "its series name other droplets only";
        } else {
            silence = "there is no series";
        }
        return new HealthReading(Map.of(), awaited, true, silence);
    }

    /** The metrics could not be read: {@code why}; {@code offered} false for a 404. */
    public static HealthReading unavailable(boolean offered, String why) {
        return new HealthReading(Map.of(), List.of(), offered, why);
    }

    public HealthReading {
        // in the order the droplets are awaited, so reasons name them alike every time (Map.copyOf has no order)
        current = Collections.unmodifiableMap(new LinkedHashMap<>(current));
        awaited = List.copyOf(awaited);
    }

    /** Every awaited droplet is named by a current sample, and every one passes. */
    public boolean allPassing() {
        return !awaited.isEmpty() && awaited.stream().allMatch(id -> Boolean.TRUE.equals(current.get(id)));
    }

    public boolean namesNone() {
        return current.isEmpty();
    }

    /** The awaited droplets a current sample names failing, or that none names while others are named. */
    public List<Long> notPassing() {
        return awaited.stream().filter(id -> !Boolean.TRUE.equals(current.get(id))).toList();
    }

    /** Such as "droplets 101, 102 passing". */
    public String describePassing() {
        return "droplets " + current.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "))
                + " passing";
    }

    /** Such as "droplet 101 passing, droplet 102 failing". */
    public String describeCurrent() {
        return current.entrySet().stream().map(entry -> "droplet " + entry.getKey() + (entry.getValue()
                ? " passing" : " failing")).collect(Collectors.joining(", "));
    }
}
