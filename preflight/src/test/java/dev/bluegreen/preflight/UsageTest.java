package dev.bluegreen.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class UsageTest {

    @Test
    void anUnknownCommandIsNamedAndTheUsageShown() {
        PreflightRun run = PreflightRun.of(List.of(), "deploy", "shop", "v2");

        assertThat(run.exitCode()).isEqualTo(Preflight.USAGE);
        assertThat(run.output()).startsWith("Unknown command 'deploy'.").contains("doctor [app]")
                .contains("dry-run <app> <ref>");
    }

    @Test
    void aDryRunWithoutItsRefSaysItsArgumentsAreWrong() {
        PreflightRun run = PreflightRun.of(List.of(), "dry-run", "shop");

        assertThat(run.exitCode()).isEqualTo(Preflight.USAGE);
        assertThat(run.output()).startsWith("Wrong arguments for dry-run.");
    }

    @Test
    void helpShowsTheUsageAndSucceeds() {
        PreflightRun run = PreflightRun.of(List.of("--help"));

        assertThat(run.exitCode()).isEqualTo(Preflight.OK);
        assertThat(run.output()).startsWith("Usage: bluegreen-preflight");
    }
}
