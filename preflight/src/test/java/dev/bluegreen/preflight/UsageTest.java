package dev.bluegreen.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class UsageTest {

    @Test
    void anUnknownCommandIsNamedAndTheUsageShown() {
        PreflightRun run = PreflightRun.of(List.of(), "deploy", "shop", "v2");

        assertThat(run.exitCode()).isEqualTo(Preflight.USAGE);
        assertThat(run.output()).startsWith("Unknown command 'deploy'.")
                .contains("Usage: bluegreen-preflight", "doctor ", "dry-run ");
    }

    @Test
    void aDryRunWithoutItsRefSaysItsArgumentsAreWrong() {
        PreflightRun run = PreflightRun.of(List.of(), "dry-run", "shop");

        assertThat(run.exitCode()).isEqualTo(Preflight.USAGE);
        assertThat(run.output()).startsWith("Missing required parameter: '<ref>'")
                .contains("Usage: bluegreen-preflight dry-run");
    }

    @Test
    void aWordAfterTheArgumentsIsNamedAndTheCommandsUsageShown() {
        PreflightRun run = PreflightRun.of(List.of(), "doctor", "shop", "now");

        assertThat(run.exitCode()).isEqualTo(Preflight.USAGE);
        assertThat(run.output()).startsWith("Unmatched argument: 'now'.").contains("Usage: bluegreen-preflight doctor");
    }

    @Test
    void withoutACommandItAsksForOneAndShowsTheUsage() {
        PreflightRun run = PreflightRun.of(List.of("--bluegreen.config=bluegreen.yml"));

        assertThat(run.exitCode()).isEqualTo(Preflight.USAGE);
        assertThat(run.output()).startsWith("Name a command: doctor or dry-run.").contains("doctor", "dry-run");
    }

    @Test
    void helpShowsTheUsageAndSucceeds() {
        PreflightRun run = PreflightRun.of(List.of("--help"));

        assertThat(run.exitCode()).isEqualTo(Preflight.OK);
        assertThat(run.output()).startsWith("Usage: bluegreen-preflight").contains("doctor", "dry-run",
                "generate-completion", "Exit codes: 0 nothing to fix");
    }

    @Test
    void helpOfACommandShowsItsArgumentsAndSucceeds() {
        PreflightRun run = PreflightRun.of(List.of(), "help", "dry-run");

        assertThat(run.exitCode()).isEqualTo(Preflight.OK);
        assertThat(run.output()).startsWith("Usage: bluegreen-preflight dry-run").contains("<app> <ref>");
    }

    @Test
    void generateCompletionWritesABashScriptThatCompletesTheCommands() {
        PreflightRun run = PreflightRun.of(List.of(), "generate-completion");

        assertThat(run.exitCode()).isEqualTo(Preflight.OK);
        assertThat(run.output()).contains("complete -F _complete_bluegreen-preflight", "doctor", "dry-run");
    }
}
