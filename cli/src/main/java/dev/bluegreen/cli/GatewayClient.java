package dev.bluegreen.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One method per gateway request. The token goes in a header only, never into a message. Public for the local stack,
 * which asks the gateway as the CLI does.
 */
public final class GatewayClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI gateway;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    /** @param gateway the gateway's URL, ending in {@code /}: request paths are resolved against it */
    public GatewayClient(URI gateway, String token) {
        this.gateway = gateway;
        this.token = token;
    }

    /** Posts {@code body} as JSON to {@code path}; answers the gateway's JSON, or throws if it did not accept it. */
    public JsonNode post(String path, Object body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .header("Content-Type", "application/json").build());
    }

    public JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    /**
     * Follows the server-sent events at {@code path} until {@code onEvent} returns false or the stream ends.
     *
     * @return whether {@code onEvent} ended it
     */
    boolean stream(String path, String lastEventId, Predicate<ServerSentEvent> onEvent) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path)).GET()
                .header("Accept", "text/event-stream");
        authorize(request);
        if (lastEventId != null && !lastEventId.isEmpty()) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new GatewayException(response.statusCode(), message(response.statusCode(), body));
            }
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                return ServerSentEvent.read(reader, onEvent);
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(0, "Interrupted while following the gateway's events");
        }
    }

    /** {@code text} as one segment or query value of a request path. */
    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        authorize(request);
        return request;
    }

    private void authorize(HttpRequest.Builder request) {
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new GatewayException(response.statusCode(), message(response.statusCode(), response.body()));
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(0, "Interrupted while waiting for the gateway");
        }
    }

    private GatewayException unreachable(IOException e) {
        return new GatewayException(0, "The gateway at " + gateway + " cannot be reached: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    /** The gateway's {@code {"error":"..."}} sentence, or the status when the answer is not one. */
    private String message(int status, String body) {
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.isString()) {
                return error.asString() + " (" + status + ")";
            }
        } catch (RuntimeException e) {
            // not JSON: fall through
        }
        return "The gateway answered " + status;
    }

    /** A request the gateway refused or could not be asked; status 0 when it was not reached. */
    public static final class GatewayException extends RuntimeException {

        private final int status;

        GatewayException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
