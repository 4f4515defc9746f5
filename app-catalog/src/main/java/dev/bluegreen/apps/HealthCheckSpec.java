package dev.bluegreen.apps;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.jspecify.annotations.Nullable;

/**
 * How the health-monitor decides that a droplet is healthy: {@code successesInARow} answers of
 * {@code expectedStatus} (containing {@code expectedBody}, when set) from {@code path}, probed every
 * {@code interval}, within {@code deadline}. The path must reach the app behind nginx, not a page nginx answers by
 * itself. Then the {@code smoke} checks, and after the switch the {@code bake} watch.
 */
public record HealthCheckSpec(
        @NotBlank String path,
        @Min(100) @Max(599) int expectedStatus,
        @Nullable String expectedBody,
        @NotNull Duration interval,
        @NotNull Duration timeout,
        @Positive int successesInARow,
        @NotNull Duration deadline,
        List<@Valid SmokeCheck> smoke,
        @NotNull @Valid BakeSpec bake) {

    public HealthCheckSpec {
        path = path == null ? "/healthz" : path;
        expectedStatus = expectedStatus == 0 ? 200 : expectedStatus;
        interval = interval == null ? Duration.ofSeconds(2) : interval;
        timeout = timeout == null ? Duration.ofSeconds(3) : timeout;
        successesInARow = successesInARow == 0 ? 3 : successesInARow;
        deadline = deadline == null ? Duration.ofMinutes(2) : deadline;
        smoke = smoke == null ? List.of() : List.copyOf(smoke);
        bake = bake == null ? BakeSpec.defaults() : bake;
    }

    static HealthCheckSpec defaults() {
        return new HealthCheckSpec(null, 0, null, null, null, 0, null, null, null);
    }
}
