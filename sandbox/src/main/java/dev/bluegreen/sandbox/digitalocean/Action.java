package dev.bluegreen.sandbox.digitalocean;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * An asynchronous change, as {@code GET /v2/actions/{id}} shows it.
 *
 * @param status {@code in-progress}, {@code completed} or {@code errored}
 * @param type such as {@code assign_ip} or {@code unassign_ip}
 * @param resourceId the resource's numeric id (a reserved IP's address as an unsigned 32-bit number)
 * @param resourceType such as {@code reserved_ip}
 */
public record Action(long id, String status, String type, Instant startedAt, @Nullable Instant completedAt,
        long resourceId, String resourceType, String region) {

    public static final String IN_PROGRESS = "in-progress";
    public static final String COMPLETED = "completed";
    public static final String ERRORED = "errored";

    public Optional<Instant> completed() {
        return Optional.ofNullable(completedAt);
    }
}
