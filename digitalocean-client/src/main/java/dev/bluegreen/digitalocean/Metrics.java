package dev.bluegreen.digitalocean;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A monitoring answer, Prometheus-shaped: one series per labelled thing, each a list of {@code [time, "value"]}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Metrics(String status, @Nullable Data data) {

    /**
     * Labels that would name a droplet by id. DigitalOcean documents none: these are read where they appear, and
     * everything else is reported as labelled otherwise.
     */
    private static final List<String> DROPLET_LABELS = List.of("droplet_id", "host_id");

    /** Each droplet's latest sample, and what the series that name no droplet id are labelled. */
    HealthMetrics health() {
        Map<Long, HealthMetrics.Sample> byDroplet = new HashMap<>();
        TreeSet<String> otherLabels = new TreeSet<>();
        int otherSeries = 0;
        List<Series> result = data == null || data.result() == null ? List.of() : data.result();
        for (Series series : result) {
            Long droplet = dropletOf(series.metric());
            HealthMetrics.Sample latest = latest(series.values());
            if (droplet == null) {
                otherSeries++;
                if (series.metric() != null) {
                    otherLabels.addAll(series.metric().keySet());
                }
            } else if (latest != null) {
                byDroplet.merge(droplet, latest, (one, other) -> one.at().isAfter(other.at()) ? one : other);
            }
        }
        return new HealthMetrics(byDroplet, otherSeries, List.copyOf(otherLabels));
    }

    private static HealthMetrics.@Nullable Sample latest(@Nullable List<List<Object>> values) {
        HealthMetrics.Sample latest = null;
        for (List<Object> value : values == null ? List.<List<Object>>of() : values) {
            Instant at = value.isEmpty() ? null : epochSeconds(value.get(0));
            if (at != null && (latest == null || !at.isBefore(latest.at()))) {
                latest = new HealthMetrics.Sample(at, value.size() > 1 && positive(value.get(1)));
            }
        }
        return latest;
    }

    private static @Nullable Long dropletOf(@Nullable Map<String, String> labels) {
        if (labels == null) {
            return null;
        }
        for (String label : DROPLET_LABELS) {
            String value = labels.get(label);
            if (value != null) {
                try {
                    return Long.valueOf(value);
                } catch (NumberFormatException notAnId) {
                    return null;
                }
            }
        }
        return null;
    }

    private static @Nullable Instant epochSeconds(@Nullable Object time) {
        try {
            return time == null ? null : Instant.ofEpochMilli(Math.round(Double.parseDouble(time.toString()) * 1000));
        } catch (NumberFormatException notATime) {
            return null;
        }
    }

    private static boolean positive(@Nullable Object value) {
        try {
            return value != null && Double.parseDouble(value.toString()) > 0;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Data(@Nullable List<Series> result) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Series(@Nullable Map<String, String> metric, @Nullable List<List<Object>> values) {
    }
}
