package dev.bluegreen.pipeline;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every service gets, below all of its own settings: the deployment id in the log pattern (and carried to
 * Reactor's threads), the actuator's health (with liveness and readiness groups), info and Prometheus endpoints, and
 * no auto-configuration for what no service uses (see {@link #UNUSED_AUTO_CONFIGURATIONS}).
 */
public final class PipelineDefaults implements EnvironmentPostProcessor {

    static final String NAME = "bluegreenPipelineDefaults";

    static final String LOG_LEVEL_PATTERN = "%5p%replace( [%X{" + DeploymentIdInLogs.MDC_KEY + "}]){' \\[\\]', ''}";

    /**
     * Auto-configurations whose libraries the starters bring but no service uses: aspects, transactions and
     * persistence (no database; the lifecycle stream's transactions are Kafka Streams' own), scheduled tasks,
     * multipart uploads and web sessions, and a second, Jackson 2 mapper for the actuator's JSON (Kafka Streams brings
     * Jackson 2 for a file of its own; the actuator writes with Jackson 3 without it). Each would be parsed, its
     * conditions weighed and its beans made at every start. A service that sets {@code spring.autoconfigure.exclude}
     * itself replaces this list.
     */
    public static final String UNUSED_AUTO_CONFIGURATIONS = String.join(",",
            "org.springframework.boot.autoconfigure.aop.AopAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration",
            "org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration",
            "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
            "org.springframework.boot.micrometer.observation.autoconfigure.ScheduledTasksObservationAutoConfiguration",
            "org.springframework.boot.webflux.autoconfigure.ReactiveMultipartAutoConfiguration",
            "org.springframework.boot.webflux.autoconfigure.WebSessionIdResolverAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.Jackson2EndpointAutoConfiguration");

    private static final Map<String, Object> DEFAULTS = Map.of(
            "spring.autoconfigure.exclude", UNUSED_AUTO_CONFIGURATIONS,
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
