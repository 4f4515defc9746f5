package dev.bluegreen.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.NestedExceptionUtils;

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
    void settingsForAnAppThatIsNotConfiguredStopTheStart() {
        assertThatThrownBy(() -> RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.webhooks.blog.gitlab-token=abc"))
                .satisfies(failure -> org.assertj.core.api.Assertions.assertThat(
                        NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).isEqualTo(
                        "bluegreen.gateway.webhooks.blog names 'blog', which is not a configured app"));
    }
}
