package dev.bluegreen.preflight.doctor;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.digitalocean.DigitalOceanProperties;
import dev.bluegreen.events.Colour;
import dev.bluegreen.preflight.Preflight;
import dev.bluegreen.preflight.Report;
import dev.bluegreen.preflight.ServiceSettings;
import dev.bluegreen.ssh.SshConnector;
import dev.bluegreen.ssh.SshSettings;

/**
 * Checks, in the order a deployment needs them: the settings, the DigitalOcean token, Kafka, then for each app its
 * load balancer (or reserved IP) and droplets, which colour is live, SSH to every droplet with its host key checked,
 * and every droplet's health URL. It only reads: it runs no deploy step and moves no traffic.
 */
public final class Doctor {

    private final AppCatalog catalog;
    private final ServiceSettings settings;
    private final Report report;

    public Doctor(AppCatalog catalog, Environment environment, Report report) {
        this.catalog = catalog;
        this.settings = new ServiceSettings(environment);
        this.report = report;
    }

    /** Checks one configured app, or all when {@code onlyApp} is null, and returns the exit code. */
    public int run(@Nullable String onlyApp) {
        List<String> apps = onlyApp == null ? List.copyOf(catalog.names()) : List.of(onlyApp);
        report.line("Checking the bluegreen setup in " + settings.appsFile() + ". Nothing is changed.");

        report.heading("Settings");
        report.ok("The apps file configures " + apps.size() + (apps.size() == 1 ? " app: " : " apps: ")
                + String.join(", ", apps) + ".");
        SshSettings sshSettings = sshSettings();
        SshConnector ssh = sshSettings == null ? null : sshConnector(sshSettings);
        DigitalOceanProperties digitalOceanSettings = digitalOceanSettings();
        DigitalOceanClient digitalOcean = digitalOceanSettings == null ? null : digitalOceanClient(digitalOceanSettings);

        DigitalOceanChecks digitalOceanChecks = null;
        if (digitalOcean != null) {
            report.heading("DigitalOcean API at " + digitalOceanSettings.apiUrl());
            digitalOceanChecks = new DigitalOceanChecks(digitalOcean, digitalOceanSettings.apiUrl(), report);
        }
        boolean tokenWorks = digitalOceanChecks != null && digitalOceanChecks.token();

        kafka();

        HealthChecks health = new HealthChecks(report);
        for (String app : apps) {
            AppSpec spec = catalog.require(app);
            report.heading("App " + app);
            Colour live = null;
            if (tokenWorks) {
                live = digitalOceanChecks.app(app, spec);
            }
            else {
                report.skipped("The load balancer, droplets and live colour", "DigitalOcean cannot be used yet");
            }
            if (ssh != null) {
                new SshChecks(ssh, sshSettings, report).app(app, spec);
            }
            else {
                report.skipped("SSH to the droplets", "the SSH settings need fixing first");
            }
            health.app(spec, live != null ? live : spec.initialLiveColour());
        }

        report.heading("Summary");
        if (report.problems() == 0) {
            report.line("Nothing to fix" + (report.warnings() == 0 ? "." : "; " + count(report.warnings(), "warning")
                    + " to look at."));
            return Preflight.OK;
        }
        report.line(count(report.problems(), "problem") + " to fix" + (report.warnings() == 0 ? "."
                : ", and " + count(report.warnings(), "warning") + " to look at."));
        return Preflight.PROBLEMS;
    }

    private void kafka() {
        Map<String, Object> kafka;
        try {
            kafka = settings.kafkaAdmin();
        }
        catch (RuntimeException ex) {
            report.heading("Kafka");
            report.problem("The Kafka settings could not be read: " + ex.getMessage() + ".", "fix spring.kafka.* as "
                    + "the services have them.");
            return;
        }
        report.heading("Kafka at " + KafkaCheck.servers(kafka));
        new KafkaCheck(kafka, settings.kafkaTimeout(), report).run();
    }

    private @Nullable SshSettings sshSettings() {
        try {
            return settings.ssh();
        }
        catch (RuntimeException ex) {
            report.problem("The SSH settings could not be read: " + ex.getMessage() + ".", "fix bluegreen.ssh.* as "
                    + "the deploy-agent has them.");
            return null;
        }
    }

    private @Nullable SshConnector sshConnector(SshSettings ssh) {
        try {
            SshConnector connector = settings.sshConnector(ssh);
            report.ok("The deploy key "
                    + (ssh.privateKey() != null ? ssh.privateKey() + " (bluegreen.ssh.private-key)"
                            : "given as content (bluegreen.ssh.private-key-content)")
                    + " can be read, and host keys are checked against " + ssh.knownHosts() + ".");
            return connector;
        }
        catch (RuntimeException ex) {
            report.problem(String.valueOf(ex.getMessage()), "set bluegreen.ssh.private-key (BLUEGREEN_SSH_PRIVATEKEY) "
                    + "to the deploy key's file and bluegreen.ssh.known-hosts (BLUEGREEN_SSH_KNOWNHOSTS) to a "
                    + "known_hosts file, as the deploy-agent has them.");
            return null;
        }
    }

    private @Nullable DigitalOceanProperties digitalOceanSettings() {
        try {
            return settings.digitalOcean();
        }
        catch (RuntimeException ex) {
            report.problem("The DigitalOcean settings could not be read: " + ex.getMessage() + ".", "fix "
                    + "bluegreen.digitalocean.* as the traffic-router has them.");
            return null;
        }
    }

    private @Nullable DigitalOceanClient digitalOceanClient(DigitalOceanProperties digitalOceanSettings) {
        String token = digitalOceanSettings.token();
        if (token == null || token.isBlank()) {
            report.problem("The DigitalOcean token is not set.", "set the DIGITALOCEAN_TOKEN environment variable to "
                    + "a DigitalOcean API token with read and write access to load balancers, droplets, tags and "
                    + "reserved IPs, and read access to monitoring (https://cloud.digitalocean.com/account/api/tokens)"
                    + ".");
            return null;
        }
        report.ok("The DigitalOcean token is set (DIGITALOCEAN_TOKEN).");
        return settings.digitalOceanClient(digitalOceanSettings);
    }

    private static String count(int count, String what) {
        return count + " " + what + (count == 1 ? "" : "s");
    }
}
