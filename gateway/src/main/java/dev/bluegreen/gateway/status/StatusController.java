package dev.bluegreen.gateway.status;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.bluegreen.apps.AppCatalog;

/** What is live, what ran and how each deployment went, from the {@link DeploymentProjection}. */
@RestController
class StatusController {

    private static final Duration STATES_WAIT = Duration.ofSeconds(10);

    private final DeploymentProjection projection;
    private final AppCatalog catalog;

    StatusController(DeploymentProjection projection, AppCatalog catalog) {
        this.projection = projection;
        this.catalog = catalog;
    }

    /** Once the apps' states are read: a gateway that just started does not show an app's initial state. */
    @GetMapping("/api/apps/{app}/status")
    Mono<AppStatus> status(@PathVariable String app) {
        catalog.require(app);
        return projection.whenCaughtUp(STATES_WAIT).then(Mono.fromSupplier(() -> projection.status(app)));
    }

    @GetMapping("/api/apps/{app}/deployments")
    List<DeploymentView> history(@PathVariable String app, @RequestParam(defaultValue = "20") int limit) {
        catalog.require(app);
        if (limit < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be at least 1");
        }
        return projection.history(app, limit);
    }

    @GetMapping("/api/deployments/{deploymentId}")
    DeploymentView deployment(@PathVariable String deploymentId) {
        return projection.deployment(deploymentId).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "No deployment '" + deploymentId + "' is known to the gateway"));
    }
}
