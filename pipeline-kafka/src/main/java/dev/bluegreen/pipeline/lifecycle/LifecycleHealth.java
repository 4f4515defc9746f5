package dev.bluegreen.pipeline.lifecycle;

import java.util.TreeSet;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The lifecycle stream's health, part of the service's readiness: up while the stream runs (it has its partitions and
 * reads them), out of service while it starts or moves partitions between instances. The details name the apps this
 * instance owns, so a person (or a test) can tell which instance runs an app's work.
 */
public final class LifecycleHealth implements HealthIndicator {

    private final LifecycleEngine engine;

    public LifecycleHealth(LifecycleEngine engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        Health.Builder health = engine.running() ? Health.up() : Health.outOfService();
        return health.withDetail("state", engine.streamState())
                .withDetail("apps", new TreeSet<>(engine.ownedApps()))
                .build();
    }
}
