package dev.bluegreen.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void helpOfEachCommandListsItsArgumentsAndOptions() {
        PreflightRun doctor = PreflightRun.of(List.of(), "doctor", "--help");
        PreflightRun dryRun = PreflightRun.of(List.of(), "dry-run", "-h");

        assertThat(doctor.exitCode()).isEqualTo(Preflight.OK);
        assertThat(doctor.output()).startsWith("Usage: bluegreen-preflight doctor [-h] [<app>]")
                .contains("[<app>]   one app; every app without it", "-h, --help    show this help");
        assertThat(dryRun.exitCode()).isEqualTo(Preflight.OK);
        assertThat(dryRun.output()).startsWith("Usage: bluegreen-preflight dry-run [-h] <app> <ref>")
                .contains("<app>    the app, as the apps file names it", "<ref>    a branch, tag or commit",
                        "-h, --help   show this help");
    }

    @Test
    void settingsAfterTheCommandAreReadAsTheOnesBefore(@TempDir Path folder) {
        String missing = "--bluegreen.config=" + folder.resolve("nowhere.yml");

        PreflightRun doctor = PreflightRun.of(List.of(), "doctor", "shop", missing);
        PreflightRun dryRun = PreflightRun.of(List.of(), "dry-run", missing, "shop", "v2");

        for (PreflightRun run : List.of(doctor, dryRun)) {
            assertThat(run.exitCode()).isEqualTo(Preflight.USAGE);
            assertThat(run.output()).startsWith("The settings could not be read: there is no apps file at")
                    .contains("nowhere.yml");
        }
    }

    @Test
    void generateCompletionWritesABashScriptThatCompletesTheCommands() {
        PreflightRun run = PreflightRun.of(List.of(), "generate-completion");

        assertThat(run.exitCode()).isEqualTo(Preflight.OK);
        assertThat(run.output()).contains("complete -F _complete_bluegreen-preflight", "doctor", "dry-run");
    }
}
