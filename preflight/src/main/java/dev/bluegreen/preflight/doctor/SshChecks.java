package dev.bluegreen.preflight.doctor;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.BastionSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.deployplan.DeployPlan;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.preflight.Report;
import dev.bluegreen.ssh.CommandResult;
import dev.bluegreen.ssh.DropletShell;
import dev.bluegreen.ssh.SshConnector;
import dev.bluegreen.ssh.SshFailure;
import dev.bluegreen.ssh.SshSettings;

/**
 * Logs in to every droplet as the deploy-agent does (through the bastion, with the deploy key, the host key checked
 * against known_hosts or the pinned fingerprint), then runs the app's commit command, which only reads.
 */
final class SshChecks {

    private static final int SHORT_COMMIT = 12;

    private final SshConnector ssh;
    private final SshSettings settings;
    private final Report report;

    SshChecks(SshConnector ssh, SshSettings settings, Report report) {
        this.ssh = ssh;
        this.settings = settings;
        this.report = report;
    }

    void app(String app, AppSpec spec) {
        for (Colour colour : Colour.values()) {
            DeployPlan.Step commitCommand = DeployPlan.of("doctor", new DeployRequested(app, spec.branch(), null,
                    "bluegreen-preflight doctor"), spec, colour).commitCommand();
            for (DropletSpec droplet : spec.droplets(colour)) {
                droplet(spec.bastion(), colour, droplet, commitCommand);
            }
        }
    }

    private void droplet(@Nullable BastionSpec bastion, Colour colour, DropletSpec droplet,
            DeployPlan.Step commitCommand) {
        String user = settings.userOf(droplet.user());
        String where = "droplet " + droplet.id() + " (" + colour + ", " + user + "@" + droplet.ssh()
                + (bastion == null ? "" : " through the bastion " + bastion.ssh()) + ")";
        try (DropletShell shell = ssh.connect(droplet, bastion)) {
            report.ok("SSH to " + where + ": host key verified, logged in with the deploy key.");
            CommandResult result = shell.run(commitCommand.command(), commitCommand.timeout());
            String output = result.outputTail().strip();
            if (result.succeeded() && !output.isEmpty()) {
                String commit = lastLine(output);
                report.ok("Droplet " + droplet.id() + " has commit "
                        + (commit.length() > SHORT_COMMIT ? commit.substring(0, SHORT_COMMIT) : commit)
                        + " checked out.");
            }
            else {
                report.warn("Droplet " + droplet.id() + " shows no commit checked out (" + commitCommand.command()
                        + " " + (result.timedOut() ? "timed out" : "exited " + result.exitCode())
                        + (output.isEmpty() ? "" : ": " + lastLine(output)) + ").", "fine before the droplet's first "
                        + "deployment if the deploy steps create the checkout; otherwise clone the app into the "
                        + "directory the apps file names (deploy.directory).");
            }
        }
        catch (SshFailure failure) {
            report.problem(failure.getMessage(), fix(failure.reason(), droplet, bastion, user));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            report.problem("The check of " + where + " was interrupted.", "run the doctor again.");
        }
    }

    private String fix(SshFailure.Reason reason, DropletSpec droplet, @Nullable BastionSpec bastion, String user) {
        return switch (reason) {
            case HOST_KEY_NOT_RECOGNISED -> "read the host's key fingerprint on its own console (ssh-keygen -lf "
                    + "/etc/ssh/ssh_host_ed25519_key.pub); if it is the one you expect, add the key to "
                    + settings.knownHosts() + " (ssh-keyscan -p " + droplet.sshPort() + " " + droplet.sshHost()
                    + " >> " + settings.knownHosts() + ", then compare ssh-keygen -lf " + settings.knownHosts()
                    + "), or pin the fingerprint as host-key in the apps file.";
            case KEY_REFUSED -> "add the deploy key's public half (ssh-keygen -y -f <deploy key>) to ~" + user
                    + "/.ssh/authorized_keys on the " + (bastion == null ? "droplet" : "droplet and the bastion")
                    + ", or set the droplet's user in the apps file.";
            case CONNECTION -> "check that the droplet is on, that its SSH server listens on port "
                    + droplet.sshPort() + ", and that its firewall lets this host in"
                    + (bastion == null ? "." : ", through the bastion " + bastion.ssh() + ".");
        };
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }
}
