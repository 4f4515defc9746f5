package dev.bluegreen.sandbox.sampleapp;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepTest {

    @Test
    void fillsEachPlaceholderWithItsValueQuotedForTheShell() {
        Step fetch = new Step("fetch", "git fetch origin {{ref}} && echo {{app}}", Duration.ofSeconds(5));

        String command = fetch.render(Map.of("ref", "v1; rm -rf /", "app", "it's"));

        assertThat(command).isEqualTo("git fetch origin 'v1; rm -rf /' && echo 'it'\"'\"'s'");
    }

    @Test
    void refusesAPlaceholderThatHasNoValue() {
        Step step = new Step("fetch", "git fetch origin {{ref}}", Duration.ofSeconds(5));

        assertThatThrownBy(() -> step.render(Map.of())).hasMessageContaining("{{ref}}");
    }

    @Test
    void everySampleAppStepUsesOnlyPlaceholdersTheDeployAgentFillsIn() {
        Map<String, String> values = Map.of("app", "a", "ref", "r", "commit", "c", "deployment_id", "d",
                "colour", "blue", "repository", "file:///repo", "branch", "main", "directory", ".");

        assertThat(SampleAppSteps.deploySteps()).extracting(step -> step.render(values))
                .noneMatch(command -> command.contains("{{"));
        assertThat(SampleAppSteps.deploySteps()).extracting(Step::name)
                .containsExactly("fetch", "checkout", "install", "restart", "self-test");
    }
}
