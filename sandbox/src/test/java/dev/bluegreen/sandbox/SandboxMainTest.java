package dev.bluegreen.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The sandbox's command line, short of starting one: help, usage errors and completion. */
class SandboxMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpListsEveryOptionWithItsDefaultAndTheChoicesOfTheModes() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: sandbox", "--api-port", "default 8090",
                "--load-balancer-port", "default 8088", "--first-ssh-port", "default 2221", "--first-http-port",
                "default 9001", "--droplets-per-colour", "--app", "default sample-app", "--version", "--work-dir",
                "default .local/sandbox", "--apps-file", "default .local/bluegreen.yml", "--traffic-mode",
                "by-id, by-tag, reserved-ip", "--reserved-ip-port", "default 8089", "--busy-window-ms",
                "--health-metrics", "by-droplet-id, other-labels, empty, not-found, minutes-apart");
    }

    @Test
    void aTrafficModeThatDoesNotExistExitsTwoNamingTheModesThereAre() {
        assertThat(run("--traffic-mode", "by-name")).isEqualTo(SandboxMain.USAGE);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "--traffic-mode must be by-id, by-tag or reserved-ip, was 'by-name'", "Usage: sandbox");
    }

    @Test
    void anOptionWithoutItsValueOrOneThatIsNoNumberExitsTwo() {
        assertThat(run("--api-port")).isEqualTo(SandboxMain.USAGE);
        assertThat(run("--droplets-per-colour", "two")).isEqualTo(SandboxMain.USAGE);
        assertThat(run("--colour", "blue")).isEqualTo(SandboxMain.USAGE);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required parameter for option '--api-port'",
                "Invalid value for option '--droplets-per-colour': 'two' is not an int",
                "Unknown options: '--colour', 'blue'");
    }

    @Test
    void generateCompletionWritesABashScriptForTheOptions() {
        assertThat(run("generate-completion")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("complete -F _complete_sandbox", "--traffic-mode",
                "reserved-ip");
    }

    private int run(String... args) {
        return SandboxMain.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }
}
