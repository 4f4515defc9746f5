package dev.bluegreen.sandbox.digitalocean;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.sandbox.history.SandboxHistory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DigitalOcean's API v2 over real HTTP on the loopback interface, backed by a {@link DigitalOceanSimulator}.
 * Every request needs {@code Authorization: Bearer <token>}; every answer carries the {@code ratelimit-*} headers,
 * and a caller over the limits gets 429 with {@code retry-after}.
 *
 * <p>Beside the API, not part of DigitalOcean's: {@value #HISTORY_PATH} shows the simulator's
 * {@link SandboxHistory} as JSON, read-only, to anyone on this machine (no token, no rate limit), so a person can
 * watch what the droplets ran and what the balancer did while the sandbox runs.
 */
public final class DigitalOceanApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DigitalOceanApiServer.class);
    private static final String JSON = "application/json; charset=utf-8";

    /** Where the sandbox's history is shown: outside {@code /v2}, which is DigitalOcean's. */
    public static final String HISTORY_PATH = "/sandbox/history";

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm meeting the
        // client's delayed ACK adds about 40 ms to every keep-alive request. The JDK reads this property once,
        // when the first of its HTTP servers in this JVM starts, so it is set here unless the user chose.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] expectedAuthorization;
    private final RateLimiter rateLimiter;
    private final Endpoints endpoints;
    private final ApiFaults faults;
    private final SandboxHistory history;
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final Representations representations = new Representations(mapper);

    private DigitalOceanApiServer(HttpServer server, ExecutorService executor, DigitalOceanSimulator simulator,
            String token) {
        this.server = server;
        this.executor = executor;
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        SimulatorSettings settings = simulator.settings();
        this.rateLimiter = new RateLimiter(settings.requestsPerMinute(), settings.requestsPerHour(), simulator.clock());
        this.endpoints = new Endpoints(simulator, mapper);
        this.faults = simulator.faults();
        this.history = simulator.history();
    }

    /**
     * Serves the simulator's API until {@link #close()}.
     *
     * @param token the only token the API accepts
     * @param port the port to bind on 127.0.0.1, or 0 for any free one
     */
    public static DigitalOceanApiServer start(DigitalOceanSimulator simulator, String token, int port) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("The simulated API needs a non-blank token");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("The simulated DigitalOcean API could not listen on port " + port, e);
        }
        // enough threads that a few slowed answers (fault injection) do not hold up the rest
        ExecutorService executor = Executors.newFixedThreadPool(16, daemonThreads());
        DigitalOceanApiServer api = new DigitalOceanApiServer(server, executor, simulator, token);
        server.createContext("/", api::handle);
        server.createContext(HISTORY_PATH, api::showHistory);
        server.setExecutor(executor);
        server.start();
        log.info("The simulated DigitalOcean API is listening at {}.", api.baseUrl());
        return api;
    }

    /** Where to point a DigitalOcean client, e.g. {@code http://127.0.0.1:41234}; paths start with /v2. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean authenticated = authenticated(exchange.getRequestHeaders().getFirst("Authorization"));
            String caller = authenticated ? "token" : "anonymous " + exchange.getRemoteAddress().getAddress();
            RateLimiter.Decision decision = rateLimiter.acquire(caller);
            rateLimitHeaders(exchange, decision);
            if (!decision.allowed()) {
                exchange.getResponseHeaders().set("retry-after", String.valueOf(decision.retryAfterSeconds()));
                send(exchange, 429, error("too_many_requests", "API Rate limit exceeded.", requestId));
                return;
            }
            if (!authenticated) {
                send(exchange, 401, error("unauthorized", "Unable to authenticate you", requestId));
                return;
            }
            ApiFaults.Decision fault = faults.next(exchange.getRequestMethod());
            if (!fault.delay().isZero() && !waited(fault.delay())) {
                return;
            }
            if (fault.dropped()) {
                log.debug("The simulated DigitalOcean API drops the connection of {} {} (injected fault).",
                        exchange.getRequestMethod(), exchange.getRequestURI().getPath());
                return; // closing an exchange that sent no headers closes its connection without an answer
            }
            if (fault.serverError()) {
                send(exchange, 500, error("server_error", "Unexpected server-side error", requestId));
                return;
            }
            Endpoints.Answer answer = answer(requestId, exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), query(exchange.getRequestURI().getRawQuery()), body);
            if (fault.answerLost()) {
                log.debug("The simulated DigitalOcean API carried out {} {} and loses its answer (injected fault).",
                        exchange.getRequestMethod(), exchange.getRequestURI().getPath());
                return;
            }
            send(exchange, answer.status(), answer.body());
        }
    }

    private void showHistory(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(HISTORY_PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(history.view());
            exchange.getResponseHeaders().set("Content-Type", JSON);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Endpoints.Answer answer(String requestId, String method, String path, Map<String, String> query,
            byte[] body) {
        Endpoints.Answer answer;
        try {
            answer = endpoints.answer(method, path, query, body, baseUrl());
        } catch (ApiException e) {
            log.debug("The simulated DigitalOcean API answered {} {} with {}: {}", method, path, e.status(),
                    e.getMessage());
            answer = new Endpoints.Answer(e.status(), error(e.errorId(), e.getMessage(), requestId));
        } catch (RuntimeException e) {
            log.error("The simulated DigitalOcean API failed on {} {}.", method, path, e);
            answer = new Endpoints.Answer(500, error("server_error", "Unexpected server-side error", requestId));
        }
        return answer;
    }

    private static boolean waited(java.time.Duration delay) {
        try {
            Thread.sleep(delay.toMillis(), (int) (delay.toNanosPart() % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean authenticated(@Nullable String authorization) {
        return authorization != null
                && MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    private JsonNode error(String id, String message, String requestId) {
        return representations.error(id, message, requestId);
    }

    private void send(HttpExchange exchange, int status, @Nullable JsonNode body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void rateLimitHeaders(HttpExchange exchange, RateLimiter.Decision decision) {
        exchange.getResponseHeaders().set("ratelimit-limit", String.valueOf(decision.limit()));
        exchange.getResponseHeaders().set("ratelimit-remaining", String.valueOf(decision.remaining()));
        exchange.getResponseHeaders().set("ratelimit-reset", String.valueOf(decision.resetEpochSeconds()));
    }

    private static Map<String, String> query(@Nullable String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "digitalocean-api-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
