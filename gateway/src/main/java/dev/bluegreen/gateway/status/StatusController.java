package dev.bluegreen.gateway.status;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.gateway.access.ApiTokens;
import dev.bluegreen.gateway.access.Reader;

/**
 * What is live, what ran and how each deployment went, from the {@link DeploymentProjection}. Each read needs a
 * token for the app unless reads are public ({@link ApiTokens#reader}); a reader without one sees no probe bodies.
 */
@RestController
class StatusController {

    private static final Duration STATES_WAIT = Duration.ofSeconds(10);

    private final DeploymentProjection projection;
    private final AppCatalog catalog;
    private final ApiTokens tokens;

    StatusController(DeploymentProjection projection, AppCatalog catalog, ApiTokens tokens) {
        this.projection = projection;
        this.catalog = catalog;
        this.tokens = tokens;
    }

    /**
     * The apps this reader may read, by name and in order: what a dashboard lists, so that a person who holds a token
     * for some apps is not shown the names of the others. An anonymous reader of a public gateway sees every app.
     */
    @GetMapping("/api/apps")
    ReadableApps apps(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        Reader reader = tokens.reader(authorization);
        return new ReadableApps(catalog.names().stream().filter(reader::mayRead).sorted().toList());
    }

    /** Once the apps' states are read: a gateway that just started does not show an app's initial state. */
    @GetMapping("/api/apps/{app}/status")
    Mono<AppStatus> status(@PathVariable String app,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        Reader reader = readerOf(authorization, app);
        return projection.whenCaughtUp(STATES_WAIT).then(Mono.fromSupplier(() -> {
            AppStatus status = projection.status(app);
            return reader.seesOutput(app) ? status : status.withoutOutput();
        }));
    }

    @GetMapping("/api/apps/{app}/deployments")
    List<DeploymentView> history(@PathVariable String app, @RequestParam(defaultValue = "20") int limit,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        Reader reader = readerOf(authorization, app);
        if (limit < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be at least 1");
        }
        return projection.history(app, limit).stream()
                .map(view -> reader.seesOutput(app) ? view : view.withoutOutput()).toList();
    }

    /** A deployment of an app the reader may not read is not found, as an unknown one is: ids are not disclosed. */
    @GetMapping("/api/deployments/{deploymentId}")
    DeploymentView deployment(@PathVariable String deploymentId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        Reader reader = tokens.reader(authorization);
        DeploymentView view = projection.deployment(deploymentId).filter(found -> reader.mayRead(found.app()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "No deployment '" + deploymentId + "' is known to the gateway"));
        return reader.seesOutput(view.app()) ? view : view.withoutOutput();
    }

    private Reader readerOf(@Nullable String authorization, String app) {
        Reader reader = tokens.reader(authorization);
        catalog.require(app);
        reader.requireRead(app);
        return reader;
    }
}
