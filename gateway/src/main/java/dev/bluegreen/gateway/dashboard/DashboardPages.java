package dev.bluegreen.gateway.dashboard;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.net.URI;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The dashboard's addresses. Every view of the page has a URL of its own, so a deployment can be linked from chat or
 * CI ({@code /dashboard/deployments/{id}}); each of them serves the same page, whose script reads the address. The
 * gateway's root leads to the dashboard, and {@code /docs} is Swagger UI on {@code /openapi.yaml}.
 */
@Configuration(proxyBeanMethods = false)
class DashboardPages {

    static final String HOME = "/dashboard/";

    /**
     * The page loads scripts, styles and data from the gateway only: a name or a log line that holds markup can
     * never run as a script, even if a view forgot to treat it as text.
     */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /** Swagger UI sets styles inline; it still loads scripts from the gateway only. */
    static final String DOCS_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static final Resource DASHBOARD = new ClassPathResource("static/dashboard/index.html");
    private static final Resource DOCS = new ClassPathResource("static/docs/index.html");

    @Bean
    RouterFunction<ServerResponse> dashboardRoutes() {
        return route(GET("/"), request -> ServerResponse.temporaryRedirect(URI.create(HOME)).build())
                .andRoute(GET("/dashboard"), request -> ServerResponse.temporaryRedirect(URI.create(HOME)).build())
                .andRoute(GET(HOME).or(GET("/dashboard/apps/{app}")).or(GET("/dashboard/deployments/{id}")),
                        request -> page(DASHBOARD, POLICY))
                .andRoute(GET("/docs"), request -> ServerResponse.temporaryRedirect(URI.create("/docs/")).build())
                .andRoute(GET("/docs/"), request -> page(DOCS, DOCS_POLICY));
    }

    private static Mono<ServerResponse> page(Resource page, String policy) {
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", policy)
                .header("Referrer-Policy", "no-referrer")
                .bodyValue(page);
    }
}
