package dev.bluegreen.localstack;

import static dev.bluegreen.cli.GatewayClient.encode;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.bluegreen.cli.GatewayClient.GatewayException;

/**
 * Asks the gateway for deployments, rollbacks, promotions and cancels over HTTP, as a person or CI would: through the
 * {@code bluegreen} CLI's own client, so the local stack sends what the CLI sends.
 */
final class GatewayClient {

    private final dev.bluegreen.cli.GatewayClient gateway;

    GatewayClient(String gatewayUrl) {
        this(gatewayUrl, LocalStack.GATEWAY_TOKEN);
    }

    GatewayClient(String gatewayUrl, String token) {
        this.gateway = new dev.bluegreen.cli.GatewayClient(
                URI.create(gatewayUrl.endsWith("/") ? gatewayUrl : gatewayUrl + "/"), token);
    }

    /** Asks for a deployment of {@code ref}; answers its deployment id. */
    String deploy(String app, String ref, String requestedBy) throws IOException {
        return deploymentId(accepted("api/apps/" + encode(app) + "/deployments",
                body("ref", ref, "requestedBy", requestedBy)));
    }

    /** Asks for a rollback; answers its deployment id. */
    String rollback(String app, String requestedBy, String reason) throws IOException {
        return deploymentId(accepted("api/apps/" + encode(app) + "/rollbacks",
                body("requestedBy", requestedBy, "reason", reason)));
    }

    /** Approves the switch of a deployment that waits for it; answers whether the gateway accepted it, in words. */
    String promote(String app, String deploymentId, String requestedBy) {
        return outcome("api/apps/" + encode(app) + "/promotions",
                body("deploymentId", deploymentId, "requestedBy", requestedBy));
    }

    /** Asks to stop a deployment that has not reached traffic; answers whether the gateway accepted it, in words. */
    String cancel(String app, String deploymentId, String requestedBy) {
        return outcome("api/apps/" + encode(app) + "/deployments/" + encode(deploymentId) + "/cancel",
                body("requestedBy", requestedBy));
    }

    /** @throws IOException when the gateway refused the request or was not reached, with its reason */
    private JsonNode accepted(String path, Map<String, String> body) throws IOException {
        try {
            return gateway.post(path, body);
        } catch (GatewayException e) {
            throw new IOException("The gateway did not accept " + path + ": " + e.getMessage(), e);
        }
    }

    private String outcome(String path, Map<String, String> body) {
        try {
            gateway.post(path, body);
            return "accepted";
        } catch (GatewayException e) {
            return "not accepted: " + e.getMessage();
        }
    }

    private static String deploymentId(JsonNode answer) throws IOException {
        JsonNode id = answer.path("deploymentId");
        if (!id.isString()) {
            throw new IOException("The gateway's answer has no deploymentId: " + answer);
        }
        return id.asString();
    }

    private static Map<String, String> body(String... keysAndValues) {
        Map<String, String> body = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }
}
