package dev.bluegreen.pipeline;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every service gets, below all of its own settings: the deployment id in the log pattern (and carried to
 * Reactor's threads), and the actuator's health (with liveness and readiness groups), info and Prometheus endpoints.
 */
public final class PipelineDefaults implements EnvironmentPostProcessor {

    static final String NAME = "bluegreenPipelineDefaults";

    static final String LOG_LEVEL_PATTERN = "%5p%replace( [%X{" + DeploymentIdInLogs.MDC_KEY + "}]){' \\[\\]', ''}";

    private static final Map<String, Object> DEFAULTS = Map.of(
            // "INFO [d-7f3a] ..." while a deployment is handled, plain "INFO ..." otherwise
            "logging.pattern.level", LOG_LEVEL_PATTERN,
            // Reactor restores the deployment id of DeploymentLogContext into the MDC on every thread it hops to
            "spring.reactor.context-propagation", "auto",
            "management.endpoints.web.exposure.include", "health,info,prometheus",
            "management.endpoint.health.probes.enabled", "true",
            // ready once the lifecycle stream runs: it owns its share of the apps and reads their history
            "management.endpoint.health.group.readiness.include", "readinessState,lifecycle",
            "management.endpoint.health.group.readiness.show-details", "always",
            // a service without a lifecycle stream (a test's) has no such contributor: that is no error
            "management.endpoint.health.validate-group-membership", "false");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getPropertySources().contains(NAME)) {
            environment.getPropertySources().addLast(new MapPropertySource(NAME, DEFAULTS));
        }
    }
}
