package dev.bluegreen.cli;

import java.io.PrintStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import tools.jackson.databind.JsonNode;

import dev.bluegreen.cli.GatewayClient.GatewayException;
import dev.bluegreen.commandline.Commands;

/**
 * The {@code bluegreen} command: asks the gateway for deployments, rollbacks, promotions and cancels, shows status and
 * history, and follows a deployment live. The gateway and token come from {@code --gateway} and {@code --token}, or
 * the environment variables {@code BLUEGREEN_GATEWAY} and {@code BLUEGREEN_TOKEN}. picocli parses the command line,
 * writes the help ({@code --help}, {@code help <command>}) and the bash completion ({@code generate-completion}), set up
 * as in every bluegreen tool by {@link Commands}.
 */
@Command(name = "bluegreen", usageHelpWidth = 100,
        description = "Deploys, rolls back, promotes and cancels through the bluegreen gateway, and follows it live.",
        footer = { "The gateway and token default to $BLUEGREEN_GATEWAY (else http://localhost:8080) and "
                + "$BLUEGREEN_TOKEN; prefer the variable: --token shows in ps.",
                "Exit codes: 0 done, 1 the deployment failed, was refused, cancelled or expired, 2 wrong usage, "
                        + "3 the gateway refused or was not reached." })
public final class Bluegreen implements Callable<Integer> {

    /**
     * Exit codes: a watched deployment did not reach traffic (failed, refused, cancelled, expired); the command line is
     * wrong; the gateway refused or was not reached.
     */
    static final int DEPLOYMENT_FAILED = 1;
    static final int USAGE = Commands.USAGE;
    static final int GATEWAY_ERROR = 3;

    private static final String DEFAULT_GATEWAY = "http://localhost:8080";

    private final PrintStream out;
    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = "--gateway", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "the gateway's URL; default $BLUEGREEN_GATEWAY, else " + DEFAULT_GATEWAY)
    private String gatewayUrl;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "the gateway token; default $BLUEGREEN_TOKEN")
    private String token;

    private Bluegreen(PrintStream out, Map<String, String> environment) {
        this.out = out;
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command, as from the command line, and returns its exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return commandLine(new Bluegreen(out, environment), out, err).execute(args);
    }

    /** The command line of {@code bluegreen}: its subcommands, help, usage errors and the gateway's failures. */
    static CommandLine commandLine(Bluegreen bluegreen, PrintStream out, PrintStream err) {
        CommandLine commandLine = Commands.configure(new CommandLine(bluegreen).addSubcommand(new HelpCommand()), out,
                err, "bluegreen: ");
        commandLine.setExecutionExceptionHandler((ex, command, parseResult) -> {
            command.getErr().println(ex instanceof GatewayException ? "bluegreen: " + ex.getMessage()
                    : "bluegreen: the gateway's answer could not be read: " + ex.getMessage());
            return GATEWAY_ERROR;
        });
        return commandLine;
    }

    /** Without a command: the usage, as for any other wrong command line. */
    @Override
    public Integer call() {
        throw new ParameterException(commandSpec().commandLine(), "Name a command");
    }

    /** What every request carries besides its operands. */
    static final class Request {

        @Option(names = "--requested-by", paramLabel = "NAME", description = "who asks; default the token's name")
        String requestedBy;

        @Option(names = "--watch", description = "follow the deployment; exit 1 unless traffic moved")
        boolean watch;
    }

    @Command(name = "deploy", description = "deploy a branch, tag or commit to the idle colour")
    int deploy(@Parameters(paramLabel = "<app>", description = "the app, as the apps file names it") String app,
            @Parameters(paramLabel = "<ref>", description = "a branch, tag or commit") String ref,
            @Mixin Request request) {
        return accepted("api/apps/" + GatewayClient.encode(app) + "/deployments", body("ref", ref, request), request,
                "deployment ");
    }

    @Command(name = "rollback", description = "move traffic back to the previous colour")
    int rollback(@Parameters(paramLabel = "<app>", description = "the app, as the apps file names it") String app,
            @Option(names = "--reason", paramLabel = "TEXT", description = "why") String reason,
            @Mixin Request request) {
        return accepted("api/apps/" + GatewayClient.encode(app) + "/rollbacks", body("reason", reason, request),
                request, "rollback ");
    }

    @Command(name = "promote", description = "approve a switch that waits for it")
    int promote(@Parameters(paramLabel = "<app>", description = "the app, as the apps file names it") String app,
            @Parameters(paramLabel = "<deployment-id>", description = "as deploy printed it") String deploymentId,
            @Mixin Request request) {
        return accepted("api/apps/" + GatewayClient.encode(app) + "/promotions",
                body("deploymentId", deploymentId, request), request, "promotion of deployment ");
    }

    @Command(name = "cancel", description = "stop a deployment that has not reached traffic")
    int cancel(@Parameters(paramLabel = "<app>", description = "the app, as the apps file names it") String app,
            @Parameters(paramLabel = "<deployment-id>", description = "as deploy printed it") String deploymentId,
            @Option(names = "--reason", paramLabel = "TEXT", description = "why") String reason,
            @Mixin Request request) {
        return accepted("api/apps/" + GatewayClient.encode(app) + "/deployments/" + GatewayClient.encode(deploymentId)
                + "/cancel", body("reason", reason, request), request, "cancel of deployment ");
    }

    @Command(name = "status", description = "which colour is live, what runs now")
    int status(@Parameters(paramLabel = "<app>", description = "the app, as the apps file names it") String app) {
        printStatus(client().get("api/apps/" + GatewayClient.encode(app) + "/status"));
        return 0;
    }

    @Command(name = "history", description = "the app's last deployments")
    int history(@Parameters(paramLabel = "<app>", description = "the app, as the apps file names it") String app,
            @Option(names = "--limit", paramLabel = "N", defaultValue = "10",
                    description = "how many, 1 to 9999; default ${DEFAULT-VALUE}") int limit) {
        if (limit < 1 || limit > 9999) {
            throw new ParameterException(commandSpec().commandLine().getSubcommands().get("history"),
                    "--limit must be a number from 1 to 9999");
        }
        printHistory(client().get("api/apps/" + GatewayClient.encode(app) + "/deployments?limit=" + limit));
        return 0;
    }

    @Command(name = "watch", description = "follow a deployment; exit 1 unless traffic moved")
    int watch(@Parameters(paramLabel = "<deployment-id>", description = "as deploy printed it") String deploymentId) {
        return watch(client(), deploymentId);
    }

    private GatewayClient client() {
        String url = gatewayUrl != null ? gatewayUrl : environment.getOrDefault("BLUEGREEN_GATEWAY", DEFAULT_GATEWAY);
        URI gateway;
        try {
            gateway = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandSpec().commandLine(), "--gateway is not a URL");
        }
        return new GatewayClient(gateway, token != null ? token : environment.getOrDefault("BLUEGREEN_TOKEN", ""));
    }

    private CommandSpec commandSpec() {
        if (spec == null) {
            throw new IllegalStateException("picocli injects the spec before it runs a command");
        }
        return spec;
    }

    /** @param what the request in words, before the deployment's id, such as {@code "rollback "} */
    private int accepted(String path, Map<String, String> body, Request request, String what) {
        GatewayClient client = client();
        JsonNode answer = client.post(path, body);
        String deploymentId = answer.path("deploymentId").asString();
        out.println("Requested: " + what + deploymentId + " of " + answer.path("app").asString()
                + (answer.path("ref").isString() ? " (" + answer.path("ref").asString() + ")" : "") + ".");
        if (request.watch) {
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

    private static Map<String, String> body(String key, String value, Request request) {
        Map<String, String> body = new LinkedHashMap<>();
        if (value != null) {
            body.put(key, value);
        }
        if (request.requestedBy != null) {
            body.put("requestedBy", request.requestedBy);
        }
        return body;
    }
}
