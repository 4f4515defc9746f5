package dev.bluegreen.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Sits between a DigitalOcean client (the traffic-router, the preflight checks) and the sandbox's DigitalOcean API,
 * passes every call through unchanged, records it, and checks both the request and the answer against DigitalOcean's
 * own OpenAPI description.
 */
public final class ValidatingProxy implements AutoCloseable {

    /** One call: what was sent and answered, and what the description found wrong with it (nothing, ideally). */
    public record Checked(String method, String path, int status, String problems) {
    }

    private static final List<String> FORWARDED = List.of("Authorization", "Content-Type", "Accept");

    private final OpenApiInteractionValidator validator = DigitalOceanOpenApi.validator();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Checked> checked = new CopyOnWriteArrayList<>();
    private final URI upstream;
    private final HttpServer server;

    public ValidatingProxy(URI upstream) {
        this.upstream = upstream;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::forward);
        server.start();
    }

    /** Where to point the client instead of the API. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every call so far, in the order they were answered. */
    public List<Checked> calls() {
        return checked;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI incoming = exchange.getRequestURI();
            HttpRequest.Builder outgoing = HttpRequest.newBuilder(upstream.resolve(incoming.getRawPath()
                    + (incoming.getRawQuery() == null ? "" : "?" + incoming.getRawQuery())))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            FORWARDED.forEach(name -> {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    outgoing.header(name, value);
                }
            });
            HttpResponse<byte[]> answer = client.send(outgoing.build(), HttpResponse.BodyHandlers.ofByteArray());
            check(exchange, body, answer);
            answer.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
                        && !name.equals(":status")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check(HttpExchange exchange, byte[] body, HttpResponse<byte[]> answer) {
        URI incoming = exchange.getRequestURI();
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.getRequestMethod(), incoming.getPath());
        if (incoming.getRawQuery() != null) {
            for (String pair : incoming.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                request.withQueryParam(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            request.withAuthorization(authorization);
        }
        if (body.length > 0) {
            request.withContentType("application/json").withBody(new String(body, StandardCharsets.UTF_8));
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!name.equals(":status")) {
                response.withHeader(name, values);
            }
        });
        if (answer.body().length > 0) {
            response.withBody(new String(answer.body(), StandardCharsets.UTF_8));
        }
        ValidationReport report = validator.validate(request.build(), response.build());
        checked.add(new Checked(exchange.getRequestMethod(), incoming.getPath(), answer.statusCode(),
                report.hasErrors() ? SimpleValidationReportFormat.getInstance().apply(report) : ""));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
