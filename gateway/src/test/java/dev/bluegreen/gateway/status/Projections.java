package dev.bluegreen.gateway.status;

import java.time.Clock;

import dev.bluegreen.apps.AppCatalog;

/** A {@link DeploymentProjection} outside Spring, for tests of what feeds it. */
public final class Projections {

    private Projections() {
    }

    public static DeploymentProjection of(AppCatalog catalog) {
        return new DeploymentProjection(catalog, new StatusProperties(100), Clock.systemUTC());
    }
}
