package dev.bluegreen.sandbox.digitalocean;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Whether a client keeps landing on the same droplet; the cookie fields are only set for {@code cookies}, and only
 * then written in the API's answers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StickySessions(String type, @Nullable String cookieName, @Nullable Integer cookieTtlSeconds) {

    public static final StickySessions NONE = new StickySessions("none", null, null);
}
