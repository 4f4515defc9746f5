package dev.bluegreen.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The dashboard's addresses as a browser meets them. What the page shows is proven in a real browser against the
 * whole stack (local-stack's DashboardInBrowserTest); here, that every address serves what the page needs.
 */
class DashboardPagesTest {

    @TempDir
    static Path directory;

    static RunningGateway gateway;

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers());
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theGatewaysRootLeadsToTheDashboard() {
        gateway.http().get().uri("/").exchange()
                .expectStatus().isTemporaryRedirect()
                .expectHeader().location("/dashboard/");
    }

    @Test
    void everyViewOfTheDashboardHasItsOwnAddressServingThePageWithoutAToken() {
        for (String view : new String[] {"/dashboard/", "/dashboard/apps/shop", "/dashboard/deployments/d-7f3a"}) {
            String page = gateway.http().get().uri(view).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectHeader().valueEquals("Content-Security-Policy", DashboardPages.POLICY)
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(page).as(view).contains("<script type=\"module\" src=\"/dashboard/js/main.js\">");
        }
    }

    @Test
    void thePagesScriptsAreServedAsJavaScriptModules() {
        for (String module : new String[] {"main", "api", "stream", "apps", "history", "deployment", "actions", "dom"}) {
            gateway.http().get().uri("/dashboard/js/" + module + ".js").exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith("text/javascript");
        }
        gateway.http().get().uri("/dashboard/dashboard.css").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/css");
    }

    @Test
    void docsIsSwaggerUiFromItsWebjarOnTheGatewaysOwnOpenApiDocument() {
        gateway.http().get().uri("/docs").exchange()
                .expectStatus().isTemporaryRedirect()
                .expectHeader().location("/docs/");
        String page = gateway.http().get().uri("/docs/").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("/webjars/swagger-ui/swagger-ui-bundle.js", "/docs/docs.js");
        gateway.http().get().uri("/webjars/swagger-ui/swagger-ui-bundle.js").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/javascript");
        gateway.http().get().uri("/webjars/swagger-ui/swagger-ui.css").exchange().expectStatus().isOk();
        assertThat(gateway.http().get().uri("/docs/docs.js").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).contains("url: '/openapi.yaml'");
    }
}
