package dev.bluegreen.sandbox.digitalocean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request to the simulated API as a DigitalOcean client would send it, and the answer.
 */
record ApiCall(String method, String path, Map<String, String> query, @Nullable String authorization,
        @Nullable String body, HttpResponse<String> response) {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    static ApiCall send(String baseUrl, @Nullable String token, String method, String path,
            Map<String, String> query, @Nullable String body) {
        StringBuilder uri = new StringBuilder(baseUrl).append(path);
        String separator = "?";
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            uri.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
            separator = "&";
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString()))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        String authorization = token == null ? null : "Bearer " + token;
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return new ApiCall(method, path, new LinkedHashMap<>(query), authorization, body,
                    CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    JsonNode json() {
        return MAPPER.readTree(response.body());
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse("");
    }
}
