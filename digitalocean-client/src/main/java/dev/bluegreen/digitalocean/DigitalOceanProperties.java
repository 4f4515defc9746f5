package dev.bluegreen.digitalocean;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How to reach the DigitalOcean API.
 *
 * @param apiUrl the API's base URL; a simulator's in tests
 * @param token a DigitalOcean API token with read and update rights on load balancers; a secret
 * @param timeout how long one API call may take
 * @param retry how often, and how far apart, a call that may succeed later is sent again
 */
@ConfigurationProperties("bluegreen.digitalocean")
@Validated
public record DigitalOceanProperties(
        @NotNull URI apiUrl,
        @NotBlank(message = "is not set: set the DIGITALOCEAN_TOKEN environment variable to a DigitalOcean API token")
        String token,
        @NotNull Duration timeout,
        @NotNull @Valid Retry retry) {

    public DigitalOceanProperties {
        apiUrl = apiUrl == null ? URI.create("https://api.digitalocean.com") : apiUrl;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        retry = retry == null ? Retry.DEFAULTS : retry;
    }

    /** Never shows the token: settings end up in logs and failure analyses. */
    @Override
    public String toString() {
        return "DigitalOceanProperties[apiUrl=" + apiUrl + ", token=(secret), timeout=" + timeout + ", retry="
                + retry + "]";
    }

    /**
     * Retries of a call answered 429, 5xx or "busy" 403, or not answered at all.
     *
     * @param maxAttempts how many times one call is sent at most, the first time included; 1 turns retries off
     * @param firstBackoff the wait before the first retry; each next wait doubles
     * @param maxBackoff the longest wait between two attempts, unless DigitalOcean asks for a longer one (429)
     */
    public record Retry(@Min(1) int maxAttempts, @NotNull Duration firstBackoff, @NotNull Duration maxBackoff) {

        static final Retry DEFAULTS = new Retry(5, Duration.ofMillis(500), Duration.ofSeconds(10));

        public Retry {
            maxAttempts = maxAttempts == 0 ? DEFAULTS.maxAttempts : maxAttempts;
            firstBackoff = firstBackoff == null ? DEFAULTS.firstBackoff : firstBackoff;
            maxBackoff = maxBackoff == null ? DEFAULTS.maxBackoff : maxBackoff;
        }
    }
}
