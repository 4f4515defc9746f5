package dev.bluegreen.preflight;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.Model.CommandSpec;

import dev.bluegreen.commandline.Commands;
import dev.bluegreen.preflight.doctor.Doctor;
import dev.bluegreen.preflight.dryrun.DryRun;

/**
 * The command line of {@code bluegreen-preflight}, parsed by picocli: {@code doctor [app]}, {@code dry-run <app>
 * <ref>}, {@code help} and {@code generate-completion}. Every {@code --name=value} that is not one of its own options
 * is a setting, before or after the command, handed to Spring as the services would get it. Help, completion and usage
 * errors are set up as in every bluegreen tool by {@link Commands}.
 */
@Command(name = "bluegreen-preflight", usageHelpWidth = 100,
        description = "Checks a bluegreen setup before it is trusted with traffic; changes nothing.",
        synopsisHeading = "Usage: ", customSynopsis = "bluegreen-preflight [--bluegreen.config=FILE] "
                + "[--setting=value ...] <command>",
        subcommands = { PreflightCommand.DoctorCommand.class, PreflightCommand.DryRunCommand.class,
                HelpCommand.class },
        footer = { "Settings are read as the services read them: the apps file (bluegreen.config, else "
                + "./bluegreen.yml) and the environment (DIGITALOCEAN_TOKEN, BLUEGREEN_SSH_PRIVATEKEY, "
                + "BLUEGREEN_SSH_KNOWNHOSTS, KAFKA_BOOTSTRAP_SERVERS, ...).",
                "Exit codes: 0 nothing to fix, 1 something to fix or no plan could be made, 2 wrong usage or "
                        + "settings." })
final class PreflightCommand implements Callable<Integer> {

    private final PrintStream out;
    private final boolean colour;

    @Spec
    @Nullable CommandSpec spec;

    /** The {@code --name=value} settings before the command, and the words of a command that does not exist. */
    @Unmatched
    List<String> unmatched = new ArrayList<>();

    private PreflightCommand(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    /** Everything, usage errors included, goes to {@code out}: the command's whole answer in one stream. */
    static CommandLine commandLine(PrintStream out, boolean colour) {
        return Commands.configure(new CommandLine(new PreflightCommand(out, colour)), out, out);
    }

    /** Without a command, or with one that does not exist: what is wrong, then the usage. */
    @Override
    public Integer call() {
        String word = unmatched.stream().filter(arg -> !arg.startsWith("--")).findFirst().orElse(null);
        throw new ParameterException(spec().commandLine(), word == null ? "Name a command: doctor or dry-run."
                : "Unknown command '" + word + "'.");
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli injects the spec before it runs a command");
        }
        return spec;
    }

    /** The settings before and after the command; a word among them is one argument too many. */
    private List<String> settings(CommandLine command, List<String> after) {
        List<String> settings = new ArrayList<>(unmatched);
        settings.addAll(after);
        settings.stream().filter(arg -> !arg.startsWith("--")).findFirst().ifPresent(word -> {
            throw new ParameterException(command, "Unmatched argument: '" + word + "'.");
        });
        return settings;
    }

    /**
     * What {@code doctor} and {@code dry-run} share, declared once: they take settings after their arguments too, and
     * run on those and the ones before the command, writing to the preflight's output. (picocli takes a class as a
     * mixin only if it has one of its annotations: the empty {@code @Command} adds nothing to the subcommands.)
     */
    @Command
    static final class SubcommandSettings {

        @Spec(Spec.Target.MIXEE)
        @Nullable CommandSpec subcommand;

        /**
         * Runs {@code command} on the settings, or throws a usage error if a word among them is one too many. The
         * settings after the command are what picocli left unmatched on the subcommand: the {@code @Unmatched} of
         * {@link PreflightCommand} lets every command of the tree take them (picocli binds no {@code @Unmatched}
         * field of a mixin).
         */
        int run(@Nullable String app, Preflight.Command command) {
            if (subcommand == null || !(subcommand.parent().userObject() instanceof PreflightCommand preflight)) {
                throw new IllegalStateException("picocli injects the subcommand's spec before it runs the subcommand");
            }
            CommandLine commandLine = subcommand.commandLine();
            return Preflight.withSettings(preflight.settings(commandLine, commandLine.getUnmatchedArguments()), app,
                    preflight.out, preflight.colour, command);
        }
    }

    @Command(name = "doctor", usageHelpWidth = 100, description = "check the DigitalOcean token, the load balancer "
            + "and droplets, SSH with host-key checking, the health URLs and Kafka, and say what to fix")
    static final class DoctorCommand implements Callable<Integer> {

        @Mixin
        SubcommandSettings settings = new SubcommandSettings();

        @Parameters(arity = "0..1", paramLabel = "<app>", description = "one app; every app without it")
        @Nullable String app;

        @Override
        public Integer call() {
            return settings.run(app,
                    (catalog, environment, report) -> new Doctor(catalog, environment, report).run(app));
        }
    }

    @Command(name = "dry-run", usageHelpWidth = 100,
            description = "print what deploying <ref> and switching traffic would do; changes nothing")
    static final class DryRunCommand implements Callable<Integer> {

        @Mixin
        SubcommandSettings settings = new SubcommandSettings();

        @Parameters(index = "0", paramLabel = "<app>", description = "the app, as the apps file names it")
        String app = "";

        @Parameters(index = "1", paramLabel = "<ref>", description = "a branch, tag or commit")
        String ref = "";

        @Override
        public Integer call() {
            return settings.run(app,
                    (catalog, environment, report) -> new DryRun(catalog, environment, report).run(app, ref));
        }
    }
}
