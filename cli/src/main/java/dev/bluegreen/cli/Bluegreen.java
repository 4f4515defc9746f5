package dev.bluegreen.cli;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.bluegreen.cli.GatewayClient.GatewayException;

/**
 * The {@code bluegreen} command: asks the gateway for deployments, rollbacks, promotions and cancels, shows status and
 * history, and follows a deployment live. The gateway and token come from {@code --gateway} and {@code --token}, or
 * the environment variables {@code BLUEGREEN_GATEWAY} and {@code BLUEGREEN_TOKEN}.
 */
public final class Bluegreen {

    /**
     * Exit codes: a watched deployment did not reach traffic (failed, refused, cancelled, expired); the command line is
     * wrong; the gateway refused or was not reached.
     */
    static final int DEPLOYMENT_FAILED = 1;
    static final int USAGE = 2;
    static final int GATEWAY_ERROR = 3;

    static final String USAGE_TEXT = """
            Usage: bluegreen [--gateway URL] [--token TOKEN] <command> ...
              deploy <app> <ref> [--requested-by NAME] [--watch]   deploy a branch, tag or commit to the idle colour
              rollback <app> [--reason TEXT] [--requested-by NAME] [--watch]
                                                                   move traffic back to the previous colour
              promote <app> <deployment-id> [--requested-by NAME] [--watch]
                                                                   approve a switch that waits for it
              cancel <app> <deployment-id> [--reason TEXT] [--requested-by NAME] [--watch]
                                                                   stop a deployment that has not reached traffic
              status <app>                                         which colour is live, what runs now
              history <app> [--limit N]                            the app's last deployments
              watch <deployment-id>                                follow a deployment; exit 1 unless traffic moved
            The gateway and token default to $BLUEGREEN_GATEWAY (else http://localhost:8080) and $BLUEGREEN_TOKEN.
            Exit codes: 0 done, 1 the deployment failed, was refused, cancelled or expired, 2 wrong usage, 3 the gateway
            refused or was not reached.""";

    private static final Set<String> VALUE_OPTIONS = Set.of("--gateway", "--token", "--requested-by", "--reason",
            "--limit");
    private static final Set<String> FLAGS = Set.of("--watch", "--help");

    private final PrintStream out;
    private final PrintStream err;

    Bluegreen(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command, as from the command line, and returns its exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return new Bluegreen(out, err).run(args, environment);
    }

    private int run(String[] args, Map<String, String> environment) {
        Map<String, String> options = new HashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (VALUE_OPTIONS.contains(name)) {
                if (arg.contains("=")) {
                    options.put(name, arg.substring(arg.indexOf('=') + 1));
                } else if (i + 1 < args.length) {
                    options.put(name, args[++i]);
                } else {
                    return usage(name + " needs a value");
                }
            } else if (FLAGS.contains(arg)) {
                options.put(arg, "true");
            } else if (arg.startsWith("--")) {
                return usage("Unknown option " + arg);
            } else {
                words.add(arg);
            }
        }
        if (options.containsKey("--help") || words.isEmpty()) {
            out.println(USAGE_TEXT);
            return words.isEmpty() && !options.containsKey("--help") ? USAGE : 0;
        }
        String gatewayUrl = options.getOrDefault("--gateway",
                environment.getOrDefault("BLUEGREEN_GATEWAY", "http://localhost:8080"));
        URI gateway;
        try {
            gateway = URI.create(gatewayUrl.endsWith("/") ? gatewayUrl : gatewayUrl + "/");
        } catch (IllegalArgumentException e) {
            return usage("--gateway is not a URL");
        }
        String token = options.getOrDefault("--token", environment.getOrDefault("BLUEGREEN_TOKEN", ""));
        GatewayClient client = new GatewayClient(gateway, token);
        try {
            return command(client, words, options);
        } catch (GatewayException e) {
            err.println("bluegreen: " + e.getMessage());
            return GATEWAY_ERROR;
        } catch (RuntimeException e) {
            err.println("bluegreen: the gateway's answer could not be read: " + e.getMessage());
            return GATEWAY_ERROR;
        }
    }

    private int command(GatewayClient client, List<String> words, Map<String, String> options) {
        String command = words.get(0);
        List<String> operands = words.subList(1, words.size());
        switch (command) {
            case "deploy" -> {
                if (operands.size() != 2) {
                    return usage("deploy needs an app and a ref: bluegreen deploy shop v2");
                }
                Map<String, String> body = body(options, "ref", operands.get(1));
                return accepted(client, "api/apps/" + GatewayClient.encode(operands.get(0)) + "/deployments", body,
                        options, "deployment ");
            }
            case "rollback" -> {
                if (operands.size() != 1) {
                    return usage("rollback needs an app: bluegreen rollback shop");
                }
                Map<String, String> body = body(options, "reason", options.get("--reason"));
                return accepted(client, "api/apps/" + GatewayClient.encode(operands.get(0)) + "/rollbacks", body,
                        options, "rollback ");
            }
            case "promote" -> {
                if (operands.size() != 2) {
                    return usage("promote needs an app and a deployment id: bluegreen promote shop <deployment-id>");
                }
                Map<String, String> body = body(options, "deploymentId", operands.get(1));
                return accepted(client, "api/apps/" + GatewayClient.encode(operands.get(0)) + "/promotions", body,
                        options, "promotion of deployment ");
            }
            case "cancel" -> {
                if (operands.size() != 2) {
                    return usage("cancel needs an app and a deployment id: bluegreen cancel shop <deployment-id>");
                }
                Map<String, String> body = body(options, "reason", options.get("--reason"));
                return accepted(client, "api/apps/" + GatewayClient.encode(operands.get(0)) + "/deployments/"
                        + GatewayClient.encode(operands.get(1)) + "/cancel", body, options, "cancel of deployment ");
            }
            case "status" -> {
                if (operands.size() != 1) {
                    return usage("status needs an app: bluegreen status shop");
                }
                printStatus(client.get("api/apps/" + GatewayClient.encode(operands.get(0)) + "/status"));
                return 0;
            }
            case "history" -> {
                if (operands.size() != 1) {
                    return usage("history needs an app: bluegreen history shop");
                }
                String limit = options.getOrDefault("--limit", "10");
                if (!limit.matches("[1-9]\\d{0,3}")) {
                    return usage("--limit must be a number from 1 to 9999");
                }
                printHistory(client.get("api/apps/" + GatewayClient.encode(operands.get(0)) + "/deployments?limit="
                        + limit));
                return 0;
            }
            case "watch" -> {
                if (operands.size() != 1) {
                    return usage("watch needs a deployment id: bluegreen watch <deployment-id>");
                }
                return watch(client, operands.get(0));
            }
            default -> {
                return usage("Unknown command '" + command + "'");
            }
        }
    }

    /** @param what the request in words, before the deployment's id, such as {@code "rollback "} */
    private int accepted(GatewayClient client, String path, Map<String, String> body, Map<String, String> options,
            String what) {
        JsonNode answer = client.post(path, body);
        String deploymentId = answer.path("deploymentId").asString();
        out.println("Requested: " + what + deploymentId + " of " + answer.path("app").asString()
                + (answer.path("ref").isString() ? " (" + answer.path("ref").asString() + ")" : "") + ".");
        if (options.containsKey("--watch")) {
            return watch(client, deploymentId);
        }
        out.println("Follow it with: bluegreen watch " + deploymentId);
        return 0;
    }

    private int watch(GatewayClient client, String deploymentId) {
        int result = new Watch(client, out).follow(deploymentId);
        return result == Watch.SUCCEEDED ? 0 : DEPLOYMENT_FAILED;
    }

    private void printStatus(JsonNode status) {
        String live = status.path("liveColour").asString();
        out.println(status.path("app").asString() + ": " + live + " is live" + holding(status.path("colours")
                .path(live)));
        for (String colour : List.of("blue", "green")) {
            JsonNode record = status.path("colours").path(colour);
            out.printf("  %-6s %s%s%n", colour + ":", record.path("status").asString("?"), holding(record));
        }
        JsonNode current = status.path("current");
        if (current.isObject()) {
            out.println("Under way: " + current.path("kind").asString() + " " + current.path("deploymentId").asString()
                    + (current.path("ref").isString() ? " of " + current.path("ref").asString() : "") + " to "
                    + current.path("target").asString() + ", " + current.path("phase").asString() + " since "
                    + current.path("phaseSince").asString() + " (asked by " + current.path("requestedBy").asString("?")
                    + ")");
        } else {
            out.println("Nothing is under way.");
        }
        JsonNode last = status.path("last");
        if (last.isObject()) {
            out.println("Last ended: " + last.path("kind").asString() + " " + last.path("deploymentId").asString()
                    + " " + last.path("result").asString() + " at " + last.path("at").asString()
                    + (last.path("reason").isString() ? ": " + last.path("reason").asString() : ""));
        }
        printPreview(status.path("preview"));
    }

    /** The idle colour's droplets, reached without the balancer: where a test gate tries a new version. */
    private void printPreview(JsonNode preview) {
        if (!preview.path("droplets").isArray() || preview.path("droplets").isEmpty()) {
            return;
        }
        out.println("Preview (" + preview.path("colour").asString("?") + ", no traffic):");
        for (JsonNode droplet : preview.path("droplets")) {
            out.println("  " + droplet.path("url").asString() + "  (droplet " + droplet.path("dropletId").asLong()
                    + ")");
        }
    }

    /** " with v2 (4f9c2e1)" for a colour that holds a known ref, else nothing. */
    private static String holding(JsonNode colour) {
        if (!colour.path("ref").isString()) {
            return "";
        }
        return " with " + colour.path("ref").asString()
                + (colour.path("commit").isString() ? " (" + colour.path("commit").asString() + ")" : "");
    }

    private void printHistory(JsonNode deployments) {
        if (deployments.isEmpty()) {
            out.println("No deployments are known to the gateway.");
        }
        for (JsonNode deployment : deployments) {
            out.println(summary(deployment));
        }
    }

    private static String summary(JsonNode deployment) {
        StringBuilder line = new StringBuilder();
        line.append(deployment.path("requestedAt").asString()).append("  ")
                .append(deployment.path("deploymentId").asString()).append("  ")
                .append(deployment.path("kind").asString());
        if (deployment.path("ref").isString()) {
            line.append(' ').append(deployment.path("ref").asString());
        }
        line.append("  by ").append(Describe.who(deployment.path("requestedBy").asString("?"),
                        deployment.path("actor").asString(null)))
                .append("  ").append(deployment.path("outcome").asString());
        if (deployment.path("durationMs").isNumber()) {
            line.append(" in ").append(deployment.path("durationMs").asLong() / 1000).append(" s");
        }
        if (deployment.path("reason").isString()) {
            line.append(": ").append(deployment.path("reason").asString());
        }
        return line.toString();
    }

    private static Map<String, String> body(Map<String, String> options, String key, String value) {
        Map<String, String> body = new LinkedHashMap<>();
        if (value != null) {
            body.put(key, value);
        }
        if (options.containsKey("--requested-by")) {
            body.put("requestedBy", options.get("--requested-by"));
        }
        return body;
    }

    private int usage(String problem) {
        err.println("bluegreen: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }
}
