package dev.bluegreen.router.digitalocean;

import java.net.URI;
import java.time.Duration;

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
 */
@ConfigurationProperties("bluegreen.digitalocean")
@Validated
record DigitalOceanProperties(
        @NotNull URI apiUrl,
        @NotBlank(message = "is not set: set the DIGITALOCEAN_TOKEN environment variable to a DigitalOcean API token")
        String token,
        @NotNull Duration timeout) {

    DigitalOceanProperties {
        apiUrl = apiUrl == null ? URI.create("https://api.digitalocean.com") : apiUrl;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }

    /** Never shows the token: settings end up in logs and failure analyses. */
    @Override
    public String toString() {
        return "DigitalOceanProperties[apiUrl=" + apiUrl + ", token=(secret), timeout=" + timeout + "]";
    }
}
