package dev.bluegreen.apps;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the apps file is ({@code bluegreen.config}). Each service's settings file imports it with
 * {@code spring.config.import: "file:${bluegreen.config:bluegreen.yml}"}, before any settings record is bound, so the
 * default is written there too; this record gives the setting its metadata in every service's jar, and the preflight
 * binds it to name the file it read.
 *
 * @param config the apps file every service and the preflight read, as a path (relative to the working directory)
 */
@ConfigurationProperties("bluegreen")
public record AppsFileProperties(@DefaultValue("bluegreen.yml") String config) {
}
