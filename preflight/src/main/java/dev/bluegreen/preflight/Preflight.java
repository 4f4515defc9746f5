package dev.bluegreen.preflight;

import java.io.PrintStream;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.config.ConfigDataResourceNotFoundException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppCatalogAutoConfiguration;
import dev.bluegreen.commandline.Commands;

/**
 * The {@code bluegreen-preflight} command. It reads the settings exactly as the services do (the apps file named by
 * {@code bluegreen.config}, then the environment) but starts none of them: no Kafka listener, no web server, and
 * nothing it does changes a droplet or a load balancer.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ ValidationAutoConfiguration.class, AppCatalogAutoConfiguration.class })
public class Preflight {

    /** Exit codes: nothing to fix; something to fix (or no plan could be made); wrong usage or unreadable settings. */
    public static final int OK = 0;
    public static final int PROBLEMS = 1;
    public static final int USAGE = Commands.USAGE;

    public static void main(String[] args) {
        System.exit(run(args, System.out, Report.colourWanted()));
    }

    /** Runs one command, as from the command line, and returns its exit code. */
    public static int run(String[] args, PrintStream out, boolean colour) {
        return PreflightCommand.commandLine(out, colour).execute(args);
    }

    /** The doctor or the dry run, on the apps and settings read as the services read them. */
    interface Command {

        int run(AppCatalog catalog, Environment environment, Report report);
    }

    /**
     * Reads the settings as the services do and runs {@code command} on them.
     *
     * @param app the app the command is about, checked against the apps file first; null for every app
     */
    static int withSettings(List<String> settings, @Nullable String app, PrintStream out, boolean colour,
            Command command) {
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(Preflight.class).web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                    .properties("spring.config.name=preflight")
                    .run(settings.toArray(String[]::new));
        }
        catch (RuntimeException ex) {
            out.println("The settings could not be read: " + SettingsProblem.describe(ex));
            return USAGE;
        }
        try (context) {
            AppCatalog catalog = context.getBean(AppCatalog.class);
            if (app != null && catalog.find(app).isEmpty()) {
                out.println("No app named '" + app + "' is configured in " + new ServiceSettings(
                        context.getEnvironment()).appsFile() + "; it has " + String.join(", ", catalog.names()) + ".");
                return USAGE;
            }
            return command.run(catalog, context.getEnvironment(), new Report(out, colour));
        }
    }

    /** Why the settings could not be read, in one sentence that names the file or key to fix. */
    static final class SettingsProblem {

        private SettingsProblem() {
        }

        static String describe(Throwable ex) {
            for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
                if (cause instanceof ConfigDataResourceNotFoundException missing) {
                    return "there is no apps file at " + missing.getResource() + ". Point bluegreen.config (or "
                            + "BLUEGREEN_CONFIG) at your apps file.";
                }
                if (cause instanceof BindValidationException invalid) {
                    return String.join("; ", invalid.getValidationErrors().getAllErrors().stream()
                            .map(error -> error instanceof org.springframework.validation.FieldError field
                                    ? invalid.getValidationErrors().getName() + "." + field.getField() + " "
                                            + field.getDefaultMessage()
                                    : String.valueOf(error.getDefaultMessage()))
                            .toList()) + ".";
                }
            }
            Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
    }
}
