package dev.bluegreen.apps;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The apps this bluegreen installation deploys, keyed by app name, as read from the apps file
 * ({@code bluegreen.apps.<name>.*}). Validated at start-up; an error names the bad key.
 *
 * @param apps the apps by name: their balancer, droplets, deploy steps, routing and health check
 */
@ConfigurationProperties("bluegreen")
@Validated
public record AppCatalogProperties(@NotEmpty(message = "no apps are configured: point bluegreen.config at your apps file")
        Map<String, @Valid AppSpec> apps) {

    public AppCatalogProperties {
        apps = apps == null ? Map.of() : Map.copyOf(apps);
    }
}
