package dev.bluegreen.sandbox.digitalocean;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Sits between a DigitalOcean client and the simulated API, passing every call through unchanged and noting it down
 * with the droplets its load balancer targeted right after it: the whole history of a switch.
 */
public final class RecordingProxy implements AutoCloseable {

    /**
     * One API call as the client sent it, the status it got, and the droplets the balancer it names targeted once
     * it was answered.
     */
    public record Call(String method, String path, Map<String, String> headers, String body, int status,
            List<Long> targetsAfter, Map<String, String> query) {

        public Call(String method, String path, Map<String, String> headers, String body, int status,
                List<Long> targetsAfter) {
            this(method, path, headers, body, status, targetsAfter, Map.of());
        }
    }

    private static final List<String> FORWARDED_HEADERS = List.of("Authorization", "Content-Type", "Accept");

    private static final Pattern BALANCER = Pattern.compile("/v2/load_balancers/([^/]+)");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI upstream;
    private final DigitalOceanSimulator simulator;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger rateLimited = new AtomicInteger();

    public RecordingProxy(String upstream, DigitalOceanSimulator simulator) {
        this.upstream = URI.create(upstream);
        this.simulator = simulator;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::forward);
        server.start();
    }

    /**
     * The next {@code count} calls are answered {@code 429} with {@code retry-after: 1}, as DigitalOcean answers a
     * burst, without reaching the API.
     */
    public void rateLimitNext(int count) {
        rateLimited.addAndGet(count);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls about one load balancer, in the order they were answered. */
    public List<Call> callsAbout(String loadBalancerId) {
        return calls.stream().filter(call -> call.path().contains(loadBalancerId)).toList();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (rateLimited.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                answerRateLimited(exchange, body);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(),
                            body.length == 0 ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header : FORWARDED_HEADERS) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                    headers.put(header, value);
                }
            }
            HttpResponse<byte[]> response = client.send(request.build(), BodyHandlers.ofByteArray());
            String path = exchange.getRequestURI().getPath();
            calls.add(new Call(exchange.getRequestMethod(), path, headers, new String(body, StandardCharsets.UTF_8),
                    response.statusCode(), targetsOf(path), query(exchange.getRequestURI().getRawQuery())));
            response.headers().firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answerRateLimited(HttpExchange exchange, byte[] body) throws IOException {
        answer(exchange, body, 429, Map.of("retry-after", "1"),
                "{\"id\":\"too_many_requests\",\"message\":\"API Rate limit exceeded.\"}");
    }

    /** Answers here instead of the API, noting the call down like the others. */
    private void answer(HttpExchange exchange, byte[] body, int status, Map<String, String> headers, String json)
            throws IOException {
        String path = exchange.getRequestURI().getPath();
        calls.add(new Call(exchange.getRequestMethod(), path, Map.of(), new String(body, StandardCharsets.UTF_8),
                status, targetsOf(path), query(exchange.getRequestURI().getRawQuery())));
        byte[] answer = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                query.put(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                        equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private List<Long> targetsOf(String path) {
        Matcher balancer = BALANCER.matcher(path);
        if (!balancer.lookingAt()) {
            return List.of();
        }
        return simulator.loadBalancer(balancer.group(1)).map(LoadBalancer::dropletIds).orElse(List.of());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
