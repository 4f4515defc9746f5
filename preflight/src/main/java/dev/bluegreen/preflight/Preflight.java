package dev.bluegreen.preflight;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

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

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppCatalogAutoConfiguration;
import dev.bluegreen.preflight.doctor.Doctor;
import dev.bluegreen.preflight.dryrun.DryRun;

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
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            Usage: bluegreen-preflight [--bluegreen.config=FILE] [--setting=value ...] <command>
              doctor [app]          check the DigitalOcean token, the load balancer and droplets, SSH with host-key
                                    checking, the health URLs and Kafka, and say what to fix
              dry-run <app> <ref>   print what deploying <ref> and switching traffic would do; changes nothing
            Settings are read as the services read them: the apps file (bluegreen.config, else ./bluegreen.yml) and
            the environment (DIGITALOCEAN_TOKEN, BLUEGREEN_SSH_PRIVATEKEY, BLUEGREEN_SSH_KNOWNHOSTS,
            KAFKA_BOOTSTRAP_SERVERS, ...).
            Exit codes: 0 nothing to fix, 1 something to fix or no plan could be made, 2 wrong usage or settings.""";

    public static void main(String[] args) {
        System.exit(run(args, System.out, Report.colourWanted()));
    }

    /** Runs one command, as from the command line, and returns its exit code. */
    public static int run(String[] args, PrintStream out, boolean colour) {
        List<String> words = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        for (String arg : args) {
            (arg.startsWith("--") ? settings : words).add(arg);
        }
        if (words.isEmpty() || words.contains("help") || settings.contains("--help")) {
            out.println(USAGE_TEXT);
            return words.isEmpty() && !settings.contains("--help") ? USAGE : OK;
        }
        String command = words.get(0);
        boolean doctor = command.equals("doctor") && words.size() <= 2;
        boolean dryRun = command.equals("dry-run") && words.size() == 3;
        if (!doctor && !dryRun) {
            out.println((command.equals("doctor") || command.equals("dry-run") ? "Wrong arguments for " + command
                    : "Unknown command '" + command + "'") + ".\n" + USAGE_TEXT);
            return USAGE;
        }
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
            String app = words.size() > 1 ? words.get(1) : null;
            if (app != null && catalog.find(app).isEmpty()) {
                out.println("No app named '" + app + "' is configured in " + new ServiceSettings(
                        context.getEnvironment()).appsFile() + "; it has " + String.join(", ", catalog.names()) + ".");
                return USAGE;
            }
            Report report = new Report(out, colour);
            if (doctor) {
                return new Doctor(catalog, context.getEnvironment(), report).run(app);
            }
            return new DryRun(catalog, context.getEnvironment(), report).run(words.get(1), words.get(2));
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
