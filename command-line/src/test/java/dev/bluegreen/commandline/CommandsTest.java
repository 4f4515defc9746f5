package dev.bluegreen.commandline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class CommandsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpOfTheToolListsItsOptionsAndTheCompletionCommand() {
        assertThat(run("--help")).isZero();

        assertThat(printed(out)).startsWith("Usage: greet [-h] [--times=N] [COMMAND]")
                .contains("  -h, --help", "show this help", "--times=N", "generate-completion");
        assertThat(printed(err)).isEmpty();
    }

    @Test
    void aSubcommandWithoutItsOwnHelpOptionAnswersHelp() {
        assertThat(run("wave", "--help")).isZero();

        assertThat(printed(out)).startsWith("Usage: greet wave [-h] <name>").contains("show this help");
    }

    @Test
    void aWrongCommandLineExitsTwoWithWhatIsWrongThenTheUsageOfTheCommandMeant() {
        assertThat(run("wave")).isEqualTo(Commands.USAGE).isEqualTo(2);

        assertThat(printed(err)).startsWith("Missing required parameter: '<name>'")
                .contains("Usage: greet wave [-h] <name>");
        assertThat(printed(out)).isEmpty();
    }

    @Test
    void aUsageErrorStartsWithThePrefixGiven() {
        CommandLine commandLine = Commands.configure(new CommandLine(new Greet()), stream(out), stream(err), "greet: ");

        assertThat(commandLine.execute("--times", "often")).isEqualTo(Commands.USAGE);

        assertThat(printed(err)).startsWith("greet: Invalid value for option '--times': 'often' is not an int");
    }

    @Test
    void withOneStreamForBothTheErrorComesBeforeTheUsage() {
        PrintStream both = stream(out);
        CommandLine commandLine = Commands.configure(new CommandLine(new Greet()), both, both);

        assertThat(commandLine.execute("--loud")).isEqualTo(Commands.USAGE);

        assertThat(printed(out)).startsWith("Unknown option: '--loud'").contains("Usage: greet");
    }

    @Test
    void generateCompletionWritesABashScriptThatCompletesTheOptionsAndCommands() {
        assertThat(run("generate-completion")).isZero();

        assertThat(printed(out)).contains("complete -F _complete_greet", "--times", "wave");
    }

    private int run(String... args) {
        return Commands.configure(new CommandLine(new Greet()), stream(out), stream(err)).execute(args);
    }

    private static PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String printed(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Command(name = "greet")
    static final class Greet implements Runnable {

        @Option(names = "--times", paramLabel = "N", description = "how often")
        int times;

        @Override
        public void run() {
        }

        @Command(name = "wave", description = "wave at someone")
        void wave(@Parameters(paramLabel = "<name>") String name) {
        }
    }
}
