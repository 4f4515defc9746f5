package dev.bluegreen.digitalocean;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The DigitalOcean account a token belongs to.
 *
 * @param status {@code active}, {@code warning} or {@code locked}
 * @param statusMessage DigitalOcean's words on a status other than active
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Account(String email, String status, @JsonProperty("status_message") @Nullable String statusMessage) {

    public boolean active() {
        return "active".equals(status);
    }
}
