package dev.bluegreen.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Asks the gateway for deployments and rollbacks over HTTP, as a person or CI would. */
final class GatewayClient {

    private static final Pattern DEPLOYMENT_ID = Pattern.compile("\"deploymentId\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gatewayUrl;
    private final String token;

    GatewayClient(String gatewayUrl) {
        this(gatewayUrl, LocalStack.GATEWAY_TOKEN);
    }

    GatewayClient(String gatewayUrl, String token) {
        this.gatewayUrl = gatewayUrl;
        this.token = token;
    }

    /** Asks for a deployment of {@code ref}; answers its deployment id. */
    String deploy(String app, String ref, String requestedBy) throws IOException, InterruptedException {
        return post("/api/apps/" + app + "/deployments",
                "{\"ref\":\"" + ref + "\",\"requestedBy\":\"" + requestedBy + "\"}");
    }

    /** Asks for a rollback; answers its deployment id. */
    String rollback(String app, String requestedBy, String reason) throws IOException, InterruptedException {
        return post("/api/apps/" + app + "/rollbacks",
                "{\"requestedBy\":\"" + requestedBy + "\",\"reason\":\"" + reason + "\"}");
    }

    /** Approves the switch of a deployment that waits for it; answers the gateway's status code. */
    int promote(String app, String deploymentId, String requestedBy) throws IOException, InterruptedException {
        return send("/api/apps/" + app + "/promotions",
                "{\"deploymentId\":\"" + deploymentId + "\",\"requestedBy\":\"" + requestedBy + "\"}").statusCode();
    }

    /** Asks to stop a deployment that has not reached traffic; answers the gateway's status code. */
    int cancel(String app, String deploymentId, String requestedBy) throws IOException, InterruptedException {
        return send("/api/apps/" + app + "/deployments/" + deploymentId + "/cancel",
                "{\"requestedBy\":\"" + requestedBy + "\"}").statusCode();
    }

    private String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = send(path, json);
        if (response.statusCode() != 202) {
            throw new IOException("The gateway answered " + response.statusCode() + " to " + path + ": "
                    + response.body());
        }
        Matcher id = DEPLOYMENT_ID.matcher(response.body());
        if (!id.find()) {
            throw new IOException("The gateway's answer has no deploymentId: " + response.body());
        }
        return id.group(1);
    }

    private HttpResponse<String> send(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
