package dev.bluegreen.digitalocean;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An asynchronous DigitalOcean action, such as assigning a reserved IP.
 *
 * @param status {@code in-progress}, {@code completed} or {@code errored}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Action(long id, String status, String type) {

    public boolean completed() {
        return "completed".equals(status);
    }

    public boolean errored() {
        return "errored".equals(status);
    }
}
