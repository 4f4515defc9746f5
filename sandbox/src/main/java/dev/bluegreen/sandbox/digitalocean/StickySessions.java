package dev.bluegreen.sandbox.digitalocean;

import org.jspecify.annotations.Nullable;

/**
 * Whether a client keeps landing on the same droplet; the cookie fields are only set for {@code cookies}.
 */
public record StickySessions(String type, @Nullable String cookieName, @Nullable Integer cookieTtlSeconds) {

    public static final StickySessions NONE = new StickySessions("none", null, null);
}
