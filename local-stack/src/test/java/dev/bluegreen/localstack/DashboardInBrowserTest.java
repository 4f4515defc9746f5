package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against the whole pipeline: the four services as JVMs
 * of their own, the sandbox's DigitalOcean, a real broker. A person's steps, in order on one system: open the page
 * and enter the token, deploy v2 and watch it go live on green, roll back, deploy a ref that fails its health check,
 * try a wrong token and a read-only one, and lose the gateway mid-deployment. Screenshots go to
 * {@code target/dashboard-screenshots}, the services' logs to {@code target/dashboard-logs}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardInBrowserTest {

    private static final Duration OUTCOME = Duration.ofMinutes(2);
    private static final Duration SHORTLY = Duration.ofSeconds(20);
    private static final String TOKEN = "dashboard-deploy-token";
    private static final String READ_ONLY_TOKEN = "dashboard-read-only-token";
    private static final String RUN = "dashboard-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    /** The services' logs, kept for a look after a failed run. */
    private static final Path LOGS = Path.of("target", "dashboard-logs");
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    static Path work;

    private static Sandbox sandbox;
    private static PipelineProcesses pipeline;
    private static Browser browser;

    @BeforeAll
    static void startThePipelineAndABrowser() throws IOException {
        Files.createDirectories(LOGS);
        sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(work.resolve("sandbox")).withAppName(RUN)
                .withBusyWindow(LocalStack.BUSY_WINDOW));
        pipeline = PipelineProcesses.start(1, LOGS, KafkaFixture.bootstrapServers(),
                sandbox.writeAppsFile(work.resolve("bluegreen.yml")), sandbox.apiUrl().toString(), sandbox.apiToken(),
                TOKEN, List.of("--bluegreen.lifecycle.session-timeout=6s",
                        "--bluegreen.gateway.tokens.viewer.secret=" + READ_ONLY_TOKEN,
                        "--bluegreen.gateway.tokens.viewer.apps=*",
                        "--bluegreen.gateway.tokens.viewer.scope=read"), RUN);
        browser = Browser.start(Path.of("target", "dashboard-screenshots"));
    }

    @AfterAll
    static void stopEverything() {
        if (browser != null) {
            browser.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void thePageLoadsWithoutConsoleErrorsAndShowsTheAppOnceATokenIsEntered() throws Exception {
        browser.open(gatewayUrl() + "/");
        assertThat(browser.url()).isEqualTo(gatewayUrl() + "/dashboard/");
        signIn(TOKEN);
        JsonNode status = status();

        WebElement row = browser.await("the app's row shows its status", SHORTLY,
                page -> browser.all("tr[data-app='" + RUN + "'][data-live]").stream().findFirst().orElse(null));
        assertThat(row.getAttribute("data-live")).isEqualTo(status.path("liveColour").asString()).isEqualTo("blue");
        assertThat(row.findElement(By.cssSelector(".colour")).getText()).isEqualTo("blue");
        assertThat(row.getText()).contains("green: ", "(" + status.path("colours").path("green").path("status")
                .asString() + ")", "idle");
        awaitConnection("live");
        assertThat(browser.url()).doesNotContain(TOKEN);
        assertThat(browser.script("return sessionStorage.getItem('bluegreen.token')")).isEqualTo(TOKEN);

        browser.open(gatewayUrl() + "/docs");
        browser.await("Swagger UI shows the gateway's API", SHORTLY,
                page -> browser.text(".info .title").contains("bluegreen gateway"));
        assertThat(browser.text("#swagger-ui")).contains("/api/apps/{app}/deployments", "/api/events");

        List<LogEntry> errors = browser.consoleEntries().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors of the dashboard and /docs").isEmpty();
    }

    @Test
    @Order(2)
    void aDeployFromThePageReachesLiveOnGreenOnScreenAsTheEventsArrive() throws Exception {
        openDashboard();
        appRow().findElement(By.name("ref")).sendKeys("v2");
        appRow().findElement(By.cssSelector(".deploy-button")).click();
        assertThat(confirmationText()).contains("green, the idle colour", "from blue to green");
        browser.find("#confirm-yes").click();

        browser.await("the page opens the new deployment", OUTCOME,
                page -> browser.url().contains("/dashboard/deployments/"));
        String deploymentUrl = browser.url();
        String deploymentId = deploymentUrl.substring(deploymentUrl.lastIndexOf('/') + 1);
        browser.await("provisioning shows as under way before the deployment ends", OUTCOME,
                page -> browser.all("li[data-stage='provisioning'][data-state='active'] details[data-droplet]")
                        .size() > 0);
        assertThat(browser.text("#headline")).startsWith("Running");
        browser.await("the first lines of output, or the end of provisioning", OUTCOME,
                page -> !browser.text("li[data-stage='provisioning'][data-state='active'] pre.log").startsWith("No output")
                        || browser.all("li[data-stage='provisioning'][data-state='active']").isEmpty());
        browser.screenshot("deployment-in-progress");

        browser.await("the headline says live on green", OUTCOME,
                page -> browser.text("#headline").equals("Succeeded: live on green"));
        for (String stage : List.of("requested", "provisioning", "health", "switch")) {
            assertThat(browser.attribute("li[data-stage='" + stage + "']", "data-state")).as(stage)
                    .isEqualTo("done");
        }
        assertThat(browser.attribute("li[data-stage='approval']", "data-state")).isEqualTo("not-needed");
        assertThat(browser.text("li[data-stage='provisioning'] pre.log")).isNotBlank()
                .doesNotContain("No output yet");
        browser.screenshot("deployment-live-on-green");
        JsonNode recorded = deployment(deploymentId);
        assertThat(recorded.path("outcome").asString()).isEqualTo("succeeded");
        assertThat(recorded.path("colour").asString()).isEqualTo("green");

        browser.open(deploymentUrl);
        browser.await("the deployment's own URL shows it after a reload", SHORTLY,
                page -> browser.text("#headline").equals("Succeeded: live on green"));
        openDashboard();
        browser.await("the app's row says green is live", SHORTLY,
                page -> "green".equals(rowAttribute("data-live")));
        assertThat(status().path("liveColour").asString()).isEqualTo("green");
    }

    @Test
    @Order(3)
    void aRollbackFromThePageMovesTrafficBackToBlue() throws Exception {
        openDashboard();
        browser.await("green is live", SHORTLY, page -> "green".equals(rowAttribute("data-live")));
        appRow().findElement(By.cssSelector(".rollback-button")).click();
        assertThat(confirmationText()).contains("from green back to blue");
        browser.find("#confirm-yes").click();

        browser.await("the rollback goes live on blue", OUTCOME,
                page -> browser.text("#headline").equals("Rolled back: live on blue"));
        assertThat(browser.text("li[data-stage='switch']")).contains("traffic moved back from green to blue");
        assertThat(status().path("liveColour").asString()).isEqualTo("blue");
    }

    @Test
    @Order(4)
    void aBrokenRefShowsItsFailedHealthCheckWithTheReasonInPlace() throws Exception {
        openDashboard();
        appRow().findElement(By.name("ref")).sendKeys("broken");
        appRow().findElement(By.cssSelector(".deploy-button")).click();
        assertThat(confirmationText()).contains("broken on green");
        browser.find("#confirm-yes").click();
        browser.await("the page opens the new deployment", OUTCOME,
                page -> browser.url().contains("/dashboard/deployments/"));
        String deploymentId = browser.url().substring(browser.url().lastIndexOf('/') + 1);

        browser.await("the health checks show as failed", OUTCOME,
                page -> browser.all("li[data-stage='health'][data-state='failed']").size() == 1);
        browser.await("the headline says it failed", SHORTLY, page -> browser.text("#headline").startsWith("Failed: "));
        String reason = deployment(deploymentId).path("reason").asString();
        assertThat(reason).isNotBlank();
        assertThat(browser.text("#headline")).isEqualTo("Failed: " + reason);
        assertThat(browser.text("li[data-stage='health'] .reason")).isEqualTo(reason);
        assertThat(browser.all("li[data-stage='health'] table.droplet-health tbody tr")).isNotEmpty();
        assertThat(browser.text("li[data-stage='health'] table.droplet-health tbody")).containsPattern("\\bno\\b");
        assertThat(browser.attribute("li[data-stage='switch']", "data-state")).isEqualTo("skipped");
        browser.screenshot("deployment-failed-health-check");

        browser.find("#deployment-title a").click();
        browser.await("the app's history lists the failed deployment", SHORTLY,
                page -> browser.all("tr[data-deployment='" + deploymentId + "']").size() == 1);
        new Select(browser.find("#outcome-filter")).selectByValue("failed");
        List<WebElement> shown = browser.all("table.history tbody tr[data-deployment]");
        assertThat(shown).extracting(row -> row.getAttribute("data-outcome")).isNotEmpty().containsOnly("failed");
        assertThat(shown).extracting(row -> row.getAttribute("data-deployment")).contains(deploymentId);
        new Select(browser.find("#outcome-filter")).selectByValue("succeeded");
        assertThat(browser.all("table.history tbody tr[data-deployment]"))
                .extracting(row -> row.getAttribute("data-outcome")).hasSize(2).containsOnly("succeeded");
    }

    @Test
    @Order(5)
    void aWrongTokenShowsAMessageAndChangesNothing() throws Exception {
        JsonNode before = status();
        String newestBefore = newestDeploymentId();

        browser.open(gatewayUrl() + "/dashboard/");
        browser.await("signed in", SHORTLY, page -> browser.find("#forget-token").isDisplayed());
        forgetToken();
        signIn("not-the-token");
        browser.await("the page says the token was refused", SHORTLY,
                page -> browser.text("#message").startsWith("The gateway refused this token"));
        assertThat(browser.all("tr[data-app]")).isEmpty();
        assertThat(browser.script("return sessionStorage.getItem('bluegreen.token')")).isNull();

        signIn(READ_ONLY_TOKEN);
        browser.await("a read-only token still shows the app", SHORTLY,
                page -> browser.all("tr[data-app='" + RUN + "'][data-live]").size() == 1);
        appRow().findElement(By.name("ref")).sendKeys("v2");
        appRow().findElement(By.cssSelector(".deploy-button")).click();
        browser.find("#confirm-yes").click();
        browser.await("the page says the deploy was refused", SHORTLY,
                page -> browser.text("#message").contains("may only read"));
        assertThat(browser.text("#message")).contains("Nothing was changed");
        assertThat(browser.url()).isEqualTo(gatewayUrl() + "/dashboard/");
        browser.screenshot("refused-token");

        assertThat(newestDeploymentId()).isEqualTo(newestBefore);
        assertThat(status().path("liveColour").asString()).isEqualTo(before.path("liveColour").asString());
        assertThat(status().path("phase").asString()).isEqualTo("idle");

        forgetToken();
        signIn(TOKEN);
        browser.await("signed in again", SHORTLY,
                page -> browser.all("tr[data-app='" + RUN + "'][data-live]").size() == 1);
        assertThat(browser.script("return sessionStorage.getItem('bluegreen.token')")).isEqualTo(TOKEN);
    }

    @Test
    @Order(6)
    void killingTheGatewayAndStartingItAgainLeavesThePageCaughtUpWithoutAReload() throws Exception {
        openDashboard();
        awaitConnection("live");
        browser.await("blue is live", SHORTLY, page -> "blue".equals(rowAttribute("data-live")));
        browser.script("window.sameDocument = 'never reloaded'");
        ServiceInstance gateway = pipeline.instances(PipelineProcesses.GATEWAY).get(0);

        String deploymentId = new GatewayClient(gatewayUrl(), TOKEN).deploy(RUN, "v2", "test");
        gateway.kill();
        awaitConnection("lost");
        assertThat(browser.text("#connection")).startsWith("Connection lost");
        browser.screenshot("connection-lost");

        gateway.restart().awaitReady(OUTCOME);
        awaitConnection("live");
        Awaitility.await("the deployment ends").atMost(OUTCOME).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> deployment(deploymentId).path("outcome").asString(), outcome -> outcome.equals("succeeded"));
        browser.await("the row shows the deployment that went on while the gateway was down", OUTCOME,
                page -> "green".equals(rowAttribute("data-live"))
                        && "idle".equals(rowAttribute("data-phase"))
                        && browser.text(row()).contains("deployment succeeded"));
        assertThat(appRow().findElements(By.cssSelector("a[href='/dashboard/deployments/" + deploymentId + "']")))
                .isNotEmpty();
        assertThat(browser.script("return window.sameDocument")).isEqualTo("never reloaded");
        assertThat(status().path("liveColour").asString()).isEqualTo("green");
        browser.screenshot("caught-up-after-restart");
    }

    private static void signIn(String token) {
        WebElement input = browser.find("#token-input");
        input.clear();
        input.sendKeys(token);
        browser.find("#token-form button[type='submit']").click();
    }

    /** Forgets the token, which reloads the page; waits for the new page. */
    private static void forgetToken() {
        browser.script("window.beforeForgetting = true");
        browser.find("#forget-token").click();
        browser.await("the page without a token", SHORTLY,
                page -> browser.script("return window.beforeForgetting") == null
                        && browser.find("#token-input").isDisplayed());
    }

    private static void openDashboard() {
        browser.open(gatewayUrl() + "/dashboard/");
        browser.await("the app's row", SHORTLY,
                page -> browser.all("tr[data-app='" + RUN + "'][data-live]").size() == 1);
    }

    private static WebElement appRow() {
        return browser.find(row());
    }

    private static String row() {
        return "tr[data-app='" + RUN + "']";
    }

    private static String rowAttribute(String name) {
        return browser.attribute(row(), name);
    }

    private static String confirmationText() {
        browser.await("the confirmation", SHORTLY, page -> browser.find("#confirm").isDisplayed());
        return browser.text("#confirm-text");
    }

    private static void awaitConnection(String state) {
        browser.await("the connection is " + state, OUTCOME,
                page -> state.equals(browser.attribute("#connection", "data-state")));
    }

    private static String gatewayUrl() {
        return pipeline.instances(PipelineProcesses.GATEWAY).get(0).url();
    }

    private static JsonNode status() throws IOException, InterruptedException {
        return read("/api/apps/" + RUN + "/status");
    }

    private static JsonNode deployment(String id) throws IOException, InterruptedException {
        return read("/api/deployments/" + id);
    }

    private static String newestDeploymentId() throws IOException, InterruptedException {
        return read("/api/apps/" + RUN + "/deployments?limit=1").path(0).path("deploymentId").asString();
    }

    private static JsonNode read(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl() + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
