package dev.bluegreen.apps;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.jspecify.annotations.Nullable;

/**
 * The watch kept on a colour after traffic moved to it: if it fails {@code failuresInARow} health checks in a row
 * within {@code period}, the health-monitor asks for a rollback on its own (when {@code autoRollback} is on).
 *
 * @param period how long the new live colour is watched; default 5 minutes
 * @param interval between checks; default 5 seconds
 * @param failuresInARow failed checks in a row that count as failing; default 3
 * @param autoRollback whether such a failure raises RollbackRequested; default true
 */
public record BakeSpec(@NotNull Duration period, @NotNull Duration interval, @Positive int failuresInARow,
        @Nullable Boolean autoRollback) {

    public BakeSpec {
        period = period == null ? Duration.ofMinutes(5) : period;
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        failuresInARow = failuresInARow == 0 ? 3 : failuresInARow;
        autoRollback = autoRollback == null ? Boolean.TRUE : autoRollback;
    }

    static BakeSpec defaults() {
        return new BakeSpec(null, null, 0, null);
    }

    public boolean rollsBackAutomatically() {
        return autoRollback;
    }
}
