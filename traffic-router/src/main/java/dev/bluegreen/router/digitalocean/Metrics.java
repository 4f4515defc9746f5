package dev.bluegreen.router.digitalocean;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A monitoring answer, Prometheus-shaped: one series per labelled thing, each a list of {@code [time, "value"]}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Metrics(String status, @Nullable Data data) {

    /** The droplet labels DigitalOcean's load balancer metrics use. */
    private static final List<String> DROPLET_LABELS = List.of("droplet_id", "host_id");

    /** Each droplet's latest health-check sample: passing when its value is above zero. */
    Map<Long, Boolean> latestByDroplet() {
        Map<Long, Boolean> health = new HashMap<>();
        if (data == null || data.result() == null) {
            return health;
        }
        for (Series series : data.result()) {
            Long droplet = dropletOf(series.metric());
            List<List<Object>> values = series.values();
            if (droplet == null || values == null || values.isEmpty()) {
                continue;
            }
            List<Object> latest = values.get(values.size() - 1);
            health.put(droplet, latest.size() > 1 && positive(latest.get(1)));
        }
        return health;
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
