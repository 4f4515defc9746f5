package dev.bluegreen.commandline;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What every bluegreen command line sets up alike on picocli, in one place: each command and subcommand answers
 * {@code -h}/{@code --help}; {@code generate-completion} writes the bash/zsh completion and is listed in the help
 * (picocli hides it by default); output and errors go to the given streams in UTF-8; and a wrong command line prints
 * what is wrong, then the usage of the command it was meant for, and exits {@link #USAGE}.
 */
public final class Commands {

    /** The exit code of a wrong command line, the same in every tool (and picocli's own). */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    private static final String COMPLETION = "generate-completion";

    private Commands() {
    }

    /** {@link #configure(CommandLine, PrintStream, PrintStream, String)} with usage errors printed as they are. */
    public static CommandLine configure(CommandLine commandLine, PrintStream out, PrintStream err) {
        return configure(commandLine, out, err, "");
    }

    /**
     * Sets up {@code commandLine} and its subcommands; subcommands added afterwards would miss the streams, so add them
     * first.
     *
     * @param out where help and the commands' answers go
     * @param err where usage errors go; the same stream as {@code out} keeps the whole answer in one stream, in order
     * @param errorPrefix put before each usage error, such as the tool's name and a colon
     */
    public static CommandLine configure(CommandLine commandLine, PrintStream out, PrintStream err,
            String errorPrefix) {
        if (!commandLine.getSubcommands().containsKey(COMPLETION)) {
            commandLine.addSubcommand(COMPLETION, new AutoComplete.GenerateCompletion());
        }
        commandLine.getSubcommands().get(COMPLETION).getCommandSpec().usageMessage().hidden(false);
        addHelpWhereMissing(commandLine.getCommandSpec());
        PrintWriter outWriter = writer(out);
        commandLine.setOut(outWriter);
        commandLine.setErr(err == out ? outWriter : writer(err));
        commandLine.setParameterExceptionHandler((ex, args) -> {
            PrintWriter errWriter = ex.getCommandLine().getErr();
            errWriter.println(errorPrefix + ex.getMessage());
            ex.getCommandLine().usage(errWriter);
            return USAGE;
        });
        return commandLine;
    }

    /** picocli's own help and completion commands bring their {@code --help}; the tools' commands get this one. */
    private static void addHelpWhereMissing(CommandSpec command) {
        if (command.findOption("--help") == null) {
            command.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help")
                    .build());
        }
        command.subcommands().values().forEach(subcommand -> addHelpWhereMissing(subcommand.getCommandSpec()));
    }

    private static PrintWriter writer(OutputStream stream) {
        return new PrintWriter(stream, true, StandardCharsets.UTF_8);
    }
}
