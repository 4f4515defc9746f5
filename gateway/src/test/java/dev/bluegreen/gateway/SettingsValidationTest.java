package dev.bluegreen.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.NestedExceptionUtils;

import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.testing.KafkaFixture;

class SettingsValidationTest {

    @TempDir
    Path directory;

    @Test
    void aTokenWithoutASecretStopsTheStartWithAMessageNamingTheKey() {
        assertThatThrownBy(() -> RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.tokens.deployer.apps=shop"))
                .satisfies(failure -> org.assertj.core.api.Assertions.assertThat(
                        NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).isEqualTo(
                        "bluegreen.gateway.tokens.deployer.secret or bluegreen.gateway.tokens.deployer.secret-file "
                                + "must be set"));
    }

    @Test
    void aSecretGivenTwiceBlankOrUnreadableStopsTheStartWithAMessageThatNamesButNeverShowsIt() throws Exception {
        Path secretFile = Files.writeString(directory.resolve("github-secret"), "another-secret-9f1c");
        assertThatThrownBy(() -> RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.webhooks.shop.github-secret-file=" + secretFile))
                .satisfies(failure -> org.assertj.core.api.Assertions.assertThat(
                        NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).isEqualTo(
                        "bluegreen.gateway.webhooks.shop.github-secret and "
                                + "bluegreen.gateway.webhooks.shop.github-secret-file are both set; set one of them")
                        .doesNotContain(RunningGateway.GITHUB_SECRET, "another-secret-9f1c"));
        Path blank = Files.writeString(directory.resolve("blank-secret"), "\n");
        assertThatThrownBy(() -> RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.notifications.wiki.url-file=" + blank))
                .satisfies(failure -> org.assertj.core.api.Assertions.assertThat(
                        NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).isEqualTo(
                        "bluegreen.gateway.notifications.wiki.url is blank"));
        Path missing = directory.resolve("no-such-file");
        assertThatThrownBy(() -> RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.notifications.wiki.url-file=" + missing))
                .satisfies(failure -> org.assertj.core.api.Assertions.assertThat(
                        NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).isEqualTo(
                        "bluegreen.gateway.notifications.wiki.url-file cannot be read: NoSuchFileException"));
    }

    @Test
    void aTagPatternThatCannotBeReadStopsTheStartWithAMessageNamingTheKey() {
        assertThatThrownBy(() -> RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.webhooks.shop.tags=v*,release-[0-9"))
                .satisfies(failure -> org.assertj.core.api.Assertions.assertThat(
                        NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).isEqualTo(
                        "bluegreen.gateway.webhooks.shop.tags[1] 'release-[0-9' is not a tag pattern: the '[' at "
                                + "position 9 opens no class of characters closed by ']'"));
    }

    @Test
    void aTokenForAnAppThatIsNotConfiguredStopsTheGatewayWithOneMessageNamingTheKeyAndTheFixAndExitCodeOne()
            throws Exception {
        Path appsFile = Files.writeString(directory.resolve("apps.yml"), RunningGateway.APPS_FILE);
        String secret = "deployer-secret-0b7d22";
        Process gateway = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), GatewayApplication.class.getName(),
                "--bluegreen.config=" + appsFile, "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.tokens.deployer.secret=" + secret,
                "--bluegreen.gateway.tokens.deployer.apps=shop,blog")
                .redirectErrorStream(true).start();
        String output = new String(gateway.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("the gateway stopped; it printed:%n%s", output).isTrue();
        assertThat(gateway.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("APPLICATION FAILED TO START",
                        "bluegreen.gateway.tokens.deployer.apps names 'blog', which is not a configured app",
                        "Add 'blog' to the apps file (bluegreen.apps.blog), or remove it from "
                                + "bluegreen.gateway.tokens.deployer.apps. The apps file configures [shop, wiki].")
                .doesNotContain("\tat ", "Exception", secret);
    }

    @Test
    void aWebhookHistoryWaitLongerThanAGitHostWaitsStopsTheStart() {
        assertThatThrownBy(() -> RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.webhook-history-wait=30s"))
                .satisfies(failure -> org.assertj.core.api.Assertions.assertThat(
                        NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(BadSetting.class)
                        .hasMessage("bluegreen.gateway.webhook-history-wait is 30000 ms, longer than a git host "
                                + "waits for an answer"));
    }

    @Test
    void anAppsFileWithAnAppNameThatIsNoNameStopsTheGatewayToo() throws Exception {
        // a right-to-left override in the name: Spring drops it and binds the app as "shop", as the tokens name it
        Path appsFile = Files.writeString(directory.resolve("apps-with-a-hidden-character.yml"),
                RunningGateway.APPS_FILE.replace("    shop:", "    sh\u202eop:"));
        assertThatThrownBy(() -> RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.config=" + appsFile))
                .satisfies(failure -> org.assertj.core.api.Assertions.assertThat(
                        NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(BadSetting.class)
                        .hasMessageContaining("'sh\\u202eop' is no app name"));
    }

    @Test
    void settingsForAnAppThatIsNotConfiguredStopTheStart() {
        assertThatThrownBy(() -> RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.webhooks.blog.gitlab-token=abc"))
                .satisfies(failure -> org.assertj.core.api.Assertions.assertThat(
                        NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).isEqualTo(
                        "bluegreen.gateway.webhooks.blog names 'blog', which is not a configured app"));
    }
}
