package dev.bluegreen.digitalocean;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The parts of a DigitalOcean droplet bluegreen reads.
 *
 * @param status {@code new}, {@code active}, {@code off} or {@code archive}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Droplet(long id, String name, String status, @Nullable List<String> tags) {

    public Droplet {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
