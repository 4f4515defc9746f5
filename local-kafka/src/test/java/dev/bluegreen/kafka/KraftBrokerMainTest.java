package dev.bluegreen.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class KraftBrokerMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpListsThePortAndDataOptionsWithTheDefaultPort() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: kraft-broker", "--port=N", "default 9092",
                "--data=DIR", "generate-completion");
    }

    @Test
    void aPortThatIsNoNumberExitsTwoNamingTheOptionAndShowingTheUsage() {
        assertThat(run("--port", "ninety")).isEqualTo(KraftBrokerMain.USAGE);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid value for option '--port': 'ninety'",
                "Usage: kraft-broker");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anUnknownOptionExitsTwo() {
        assertThat(run("--host", "localhost")).isEqualTo(KraftBrokerMain.USAGE);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown options: '--host', 'localhost'");
    }

    @Test
    void generateCompletionWritesABashScriptForTheOptions() {
        assertThat(run("generate-completion")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("complete -F _complete_kraft-broker", "--port",
                "--data");
    }

    private int run(String... args) {
        return KraftBrokerMain.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }
}
