package dev.bluegreen.localstack;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;

/** One line of the timeline for one pipeline event, optionally coloured for a terminal. */
final class EventLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[31m";
    private static final String BLUE = "\u001b[34m";
    private static final String GREEN = "\u001b[32m";
    private static final String[] APP_COLOURS = {"\u001b[36m", "\u001b[35m", "\u001b[33m"};

    private final boolean ansi;

    EventLine(boolean ansi) {
        this.ansi = ansi;
    }

    String format(Envelope envelope) {
        PipelineEvent event = envelope.data();
        // pad before painting: colour codes take no room on screen but would count in a width
        String type = "%-22s".formatted(envelope.type());
        type = failure(event) ? paint(RED + BOLD, type) : paint(BOLD, type);
        return "%s  %s  %s %s  [%s]".formatted(TIME.format(envelope.time()), paint(appColour(event.app()),
                event.app()), type, describe(event), shortId(envelope.deploymentId()));
    }

    private String describe(PipelineEvent event) {
        if (event instanceof DeployRequested e) {
            return "ref " + e.ref() + " asked for by " + e.requestedBy();
        }
        if (event instanceof DeploymentStarted e) {
            return colour(e.colour()) + " is being provisioned with " + e.ref() + " on droplets " + ids(e.dropletIds());
        }
        if (event instanceof DeploymentLog e) {
            return colour(e.colour()) + " droplet " + e.dropletId() + " " + e.step() + ": " + String.join(" | ", e.lines());
        }
        if (event instanceof EnvironmentProvisioned e) {
            return colour(e.colour()) + " runs " + e.ref() + " @ " + shortCommit(e.commit()) + " on droplets "
                    + ids(e.dropletIds()) + " after " + seconds(e.durationMs());
        }
        if (event instanceof ProvisioningFailed e) {
            return colour(e.colour()) + " not provisioned: " + e.reason();
        }
        if (event instanceof EnvironmentHealthy e) {
            return colour(e.colour()) + " is healthy: " + e.droplets().size() + " droplets passed after "
                    + seconds(e.durationMs());
        }
        if (event instanceof EnvironmentUnhealthy e) {
            return colour(e.colour()) + " is unhealthy: " + e.reason();
        }
        if (event instanceof AwaitingPromotion e) {
            return colour(e.to()) + " is healthy and waits for a promote request before traffic moves";
        }
        if (event instanceof PromoteRequested e) {
            return "asked for by " + e.requestedBy();
        }
        if (event instanceof TrafficSwitched e) {
            return "traffic moved " + colour(e.from()) + " -> " + colour(e.to()) + " in " + seconds(e.durationMs());
        }
        if (event instanceof SwitchFailed e) {
            return "traffic stays on " + colour(e.from()) + ": " + e.reason();
        }
        if (event instanceof RollbackRequested e) {
            return "asked for by " + e.requestedBy() + (e.reason() == null ? "" : ": " + e.reason());
        }
        if (event instanceof RolledBack e) {
            return "traffic moved back " + colour(e.from()) + " -> " + colour(e.to()) + " in " + seconds(e.durationMs());
        }
        return event.toString();
    }

    private static boolean failure(PipelineEvent event) {
        return event instanceof ProvisioningFailed || event instanceof EnvironmentUnhealthy
                || event instanceof SwitchFailed;
    }

    private String colour(Colour colour) {
        return paint(colour == Colour.BLUE ? BLUE : GREEN, colour.wireName());
    }

    private String appColour(String app) {
        return APP_COLOURS[Math.floorMod(app.hashCode(), APP_COLOURS.length)];
    }

    private String paint(String code, String text) {
        return ansi ? code + text + RESET : text;
    }

    private static String ids(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String seconds(long millis) {
        return "%.1f s".formatted(millis / 1000.0);
    }

    private static String shortCommit(String commit) {
        return commit == null || commit.length() < 8 ? String.valueOf(commit) : commit.substring(0, 8);
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }
}
