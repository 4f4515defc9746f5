package dev.bluegreen.preflight.dryrun;

import java.time.Duration;
import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.web.util.UriComponentsBuilder;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.BakeSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.HealthCheckSpec;
import dev.bluegreen.apps.SmokeCheck;
import dev.bluegreen.deployplan.DeployPlan;
import dev.bluegreen.digitalocean.DigitalOceanProperties;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.preflight.Preflight;
import dev.bluegreen.preflight.Report;
import dev.bluegreen.preflight.ServiceSettings;
import dev.bluegreen.ssh.SshSettings;
import dev.bluegreen.trafficplan.SwitchPreview;

/**
 * Prints what deploying a ref of an app would do, from the deployment to the bake watch: the commands the deploy-agent
 * would run on each idle droplet (its own {@link DeployPlan}, placeholders filled in), the health gate, and the API
 * calls the traffic-router would make (its own {@link SwitchPreview}, from the balancer as it is now). It only reads
 * DigitalOcean: no SSH command runs, no call changes anything, no event is published.
 */
public final class DryRun {

    /** The deployment id the plan shows where the real one would go. */
    static final String DEPLOYMENT_ID = "dry-run";

    private final AppCatalog catalog;
    private final ServiceSettings settings;
    private final Report report;

    public DryRun(AppCatalog catalog, Environment environment, Report report) {
        this.catalog = catalog;
        this.settings = new ServiceSettings(environment);
        this.report = report;
    }

    /** Prints the plan for a configured app and returns the exit code. */
    public int run(String app, String ref) {
        AppSpec spec = catalog.require(app);
        SwitchPreview.Plan switchPlan;
        try {
            DigitalOceanProperties digitalOcean = settings.digitalOcean();
            if (digitalOcean.token() == null || digitalOcean.token().isBlank()) {
                report.line("The dry run reads the load balancer to know which colour is live, and the DigitalOcean "
                        + "token is not set: set DIGITALOCEAN_TOKEN. (bluegreen-preflight doctor checks the rest.)");
                return Preflight.PROBLEMS;
            }
            switchPlan = new SwitchPreview(settings.digitalOceanClient(digitalOcean)).toIdleColour(app, spec)
                    .block(Duration.ofMinutes(1));
        }
        catch (RuntimeException ex) {
            report.line("No plan could be made: " + ex.getMessage() + ". (bluegreen-preflight doctor " + app
                    + " says what to fix.)");
            return Preflight.PROBLEMS;
        }
        Colour target = switchPlan.target();
        DeployPlan deployPlan;
        try {
            deployPlan = DeployPlan.of(DEPLOYMENT_ID, new DeployRequested(app, ref, null, "bluegreen-preflight"), spec,
                    target);
        }
        catch (IllegalArgumentException ex) {
            report.line("The deploy steps of " + app + " could not be prepared: " + ex.getMessage());
            return Preflight.PROBLEMS;
        }
        report.line("Dry run of deploying " + ref + " to " + app + ". Nothing is changed: no command runs, no "
                + "traffic moves, no event is published.");
        report.heading("Now");
        report.line("  " + switchPlan.now() + (switchPlan.live() == null ? "."
                : ": " + switchPlan.live() + " is live, " + target + " is idle."));
        deployment(spec, deployPlan, ref);
        healthGate(spec.health(), spec.droplets(target), target);
        approval(app, spec);
        trafficSwitch(switchPlan);
        bake(spec.health().bake(), target);
        return Preflight.OK;
    }

    private void deployment(AppSpec spec, DeployPlan plan, String ref) {
        Colour colour = plan.colour();
        SshSettings ssh = settings.ssh();
        report.heading("1. The deploy-agent provisions " + colour + " with " + ref + ", all its droplets at once");
        for (DropletSpec droplet : spec.droplets(colour)) {
            report.line("  droplet " + droplet.id() + ": " + ssh.userOf(droplet.user()) + "@" + droplet.ssh()
                    + (spec.bastion() == null ? "" : " through the bastion " + spec.bastion().ssh())
                    + ", host key checked");
        }
        if (plan.skipsUnchangedCommit()) {
            report.line("  If " + colour + " already runs the commit " + ref + " names, the deployment is skipped.");
        }
        report.line("  On each droplet, over SSH, in order (a failing step that aborts fails the deployment; "
                + "the live colour keeps serving):");
        for (DeployPlan.Step step : plan.all()) {
            command(step.describe() + " (timeout " + seconds(step.timeout()) + (step.aborts() ? ""
                    : ", a failure does not abort") + ")", step.command());
        }
        command("then " + plan.commitCommand().describe() + ", whose output must be the same commit on every "
                + "droplet", plan.commitCommand().command());
        report.line("  Then EnvironmentProvisioned, or ProvisioningFailed saying which droplet and step failed.");
    }

    private void command(String title, String command) {
        report.line("    " + title + ":");
        command.lines().forEach(line -> report.line("      " + line));
    }

    private void healthGate(HealthCheckSpec health, List<DropletSpec> droplets, Colour colour) {
        report.heading("2. The health-monitor checks " + colour + " directly, bypassing the load balancer");
        for (DropletSpec droplet : droplets) {
            report.line("  GET " + UriComponentsBuilder.fromUriString(droplet.http()).path(health.path()).build());
        }
        report.line("  every " + seconds(health.interval()) + " (timeout " + seconds(health.timeout()) + "), until "
                + health.successesInARow() + " answers of " + health.expectedStatus()
                + (health.expectedBody() == null ? "" : " containing \"" + health.expectedBody() + "\"")
                + " in a row on each droplet, within " + seconds(health.deadline()) + ".");
        for (SmokeCheck smoke : health.smoke()) {
            report.line("  Then smoke check GET " + smoke.path() + ": " + smoke.expectedStatus()
                    + (smoke.expectedBody() == null ? "" : " containing \"" + smoke.expectedBody() + "\"") + ".");
        }
        report.line("  Then EnvironmentHealthy, or EnvironmentUnhealthy saying why: traffic does not move.");
    }

    private void approval(String app, AppSpec spec) {
        if (spec.routing().requiresApproval()) {
            report.heading("3. Traffic waits for approval");
            report.line("  AwaitingPromotion; nothing moves until someone runs: bluegreen promote " + app
                    + " <deployment-id>");
        }
        else {
            report.heading("3. No approval is required (routing.approval-required is off)");
        }
    }

    private void trafficSwitch(SwitchPreview.Plan plan) {
        report.heading("4. The traffic-router moves traffic to " + plan.target());
        List<String> steps = plan.steps();
        for (int index = 0; index < steps.size(); index++) {
            report.line("  " + (char) ('a' + index) + ". " + steps.get(index));
        }
    }

    private void bake(BakeSpec bake, Colour colour) {
        report.heading("5. The health-monitor watches " + colour + " for " + seconds(bake.period()));
        report.line("  Every " + seconds(bake.interval()) + "; " + bake.failuresInARow() + " failed checks in a row "
                + (bake.rollsBackAutomatically() ? "raise RollbackRequested, and traffic moves back to "
                        + colour.other() + "." : "are reported (automatic rollback is off)."));
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis >= 60_000) {
            return millis / 60_000 + " min";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
