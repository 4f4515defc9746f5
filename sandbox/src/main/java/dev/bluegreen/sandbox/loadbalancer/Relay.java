package dev.bluegreen.sandbox.loadbalancer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.sandbox.digitalocean.ApiException;
import dev.bluegreen.sandbox.history.SandboxHistory;
import dev.bluegreen.sandbox.loadbalancer.Rotation.Backend;

/**
 * An HTTP reverse proxy on 127.0.0.1 that relays each request to the first of its {@link Targets} that takes the
 * connection: the data plane of a simulated load balancer or reserved IP. When none does, the client gets 503.
 * Every relayed answer names its droplet in {@value LoadBalancerProxy#DROPLET_HEADER}.
 */
final class Relay implements AutoCloseable {

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");


    /** Where a relay sends the next request. */
    interface Targets {

        /** The droplets to try for the next request, in order. */
        List<Backend> forNextRequest();

        /** How long a droplet may take to answer. */
        Duration timeout();
    }

    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    /** Per hop, never forwarded (RFC 9110 7.6.1), plus those {@link HttpClient} sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect");

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
    private final HttpClient client;
    private final String name;
    private final Targets targets;
    private final String unavailable;
    private final SandboxHistory history;
    private final String entryPointId;

    private Relay(HttpServer server, ExecutorService executor, String name, Targets targets, String unavailable,
            SandboxHistory history, String entryPointId) {
        this.server = server;
        this.executor = executor;
        this.name = name;
        this.targets = targets;
        this.unavailable = unavailable;
        this.history = history;
        this.entryPointId = entryPointId;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Starts relaying until {@link #close()}.
     *
     * @param name what the relay stands for, in thread names and logs
     * @param port the port to bind on 127.0.0.1, or 0 for any free one
     * @param unavailable the 503 answer's text when no target takes the request
     * @param history where each request is recorded, under {@code entryPointId}
     */
    static Relay start(String name, int port, Targets targets, String unavailable, SandboxHistory history,
            String entryPointId) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " could not listen on port " + port, e);
        }
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads(name));
        Relay relay = new Relay(server, executor, name, targets, unavailable, history, entryPointId);
        server.createContext("/", relay::handle);
        server.setExecutor(executor);
        server.start();
        return relay;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Answers one request and records how it went: the one place every relayed request ends. A failure to talk to
     * the client (it went away) is not the balancer's failure and is recorded as abandoned.
     */
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            answer(exchange);
            record(exchange, null);
        } catch (DropletBrokeOff e) {
            record(exchange, "droplet " + e.dropletId + " broke off its answer: " + e.getCause());
            throw e;
        } catch (IOException e) {
            history.requestAbandoned(entryPointId);
            throw e;
        } catch (RuntimeException e) {
            record(exchange, "the load balancer failed: " + e);
            throw e;
        }
    }

    private void record(HttpExchange exchange, @Nullable String error) {
        String droplet = exchange.getResponseHeaders().getFirst(LoadBalancerProxy.DROPLET_HEADER);
        history.requestRelayed(entryPointId, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getResponseCode(), droplet == null ? null : Long.valueOf(droplet), error);
    }

    private void answer(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        List<Backend> backends;
        Duration timeout;
        try {
            backends = targets.forNextRequest();
            timeout = targets.timeout();
        } catch (ApiException gone) {
            backends = List.of();
            timeout = Duration.ZERO;
        }
        for (Backend backend : backends) {
            if (forward(exchange, body, backend, timeout)) {
                return;
            }
        }
        plain(exchange, 503, unavailable);
    }

    /** Relays the exchange to one droplet; false when the droplet could not be reached, so another may try. */
    private boolean forward(HttpExchange exchange, byte[] body, Backend backend, Duration timeout)
            throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = send(exchange, body, backend, timeout);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            log.debug("Droplet {} refused a connection from {}; trying the next droplet.",
                    backend.dropletId(), name);
            return false;
        } catch (HttpTimeoutException e) {
            plain(exchange, 504, "Droplet " + backend.dropletId() + " did not answer in time.\n");
            return true;
        } catch (IOException e) {
            log.warn("Droplet {} broke off its answer to a request through {}: {}", backend.dropletId(), name,
                    e.toString());
            plain(exchange, 502, "Droplet " + backend.dropletId() + " broke off its answer.\n");
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            plain(exchange, 503, "The load balancer is shutting down.\n");
            return true;
        }
        relay(exchange, response, backend);
        return true;
    }

    /**
     * Sends the request; an idempotent one whose connection closed before any answer came is sent once more, on a
     * new connection, as load balancers and nginx do: the droplet never saw it, or may safely see it twice.
     */
    private HttpResponse<InputStream> send(HttpExchange exchange, byte[] body, Backend backend, Duration timeout)
            throws IOException, InterruptedException {
        try {
            return client.send(request(exchange, body, backend, timeout), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (!IDEMPOTENT.contains(exchange.getRequestMethod())) {
                throw e;
            }
            log.debug("Droplet {} closed a connection before answering; sending the {} again.", backend.dropletId(),
                    exchange.getRequestMethod());
            return client.send(request(exchange, body, backend, timeout), HttpResponse.BodyHandlers.ofInputStream());
        }
    }

    private HttpRequest request(HttpExchange exchange, byte[] body, Backend backend, Duration timeout) {
        URI incoming = exchange.getRequestURI();
        String target = backend.http().getScheme() + "://" + backend.http().getRawAuthority() + incoming.getRawPath()
                + (incoming.getRawQuery() == null ? "" : "?" + incoming.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(timeout)
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        Headers headers = exchange.getRequestHeaders();
        Set<String> dropped = dropped(headers.getFirst("Connection"));
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!dropped.contains(lower) && !lower.startsWith("x-forwarded-")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        request.header("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
        request.header("X-Forwarded-Proto", "http");
        request.header("X-Forwarded-Port", String.valueOf(port()));
        String host = headers.getFirst("Host");
        if (host != null) {
            request.header("X-Forwarded-Host", host);
        }
        return request.build();
    }

    private void relay(HttpExchange exchange, HttpResponse<InputStream> response, Backend backend)
            throws IOException {
        Headers headers = exchange.getResponseHeaders();
        Set<String> dropped = dropped(response.headers().firstValue("Connection").orElse(null));
        for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
            if (!dropped.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.put(header.getKey(), header.getValue());
            }
        }
        headers.set(LoadBalancerProxy.DROPLET_HEADER, String.valueOf(backend.dropletId()));
        int status = response.statusCode();
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean bodiless = "HEAD".equals(exchange.getRequestMethod()) || status == 204 || status == 304
                || length == 0;
        try (InputStream in = response.body()) {
            exchange.sendResponseHeaders(status, bodiless ? -1 : Math.max(length, 0));
            if (!bodiless) {
                try (OutputStream out = exchange.getResponseBody()) {
                    copy(in, out, backend.dropletId());
                }
            }
        }
    }

    /** Copies the droplet's answer to the client, telling a droplet that breaks off from a client that leaves. */
    private static void copy(InputStream in, OutputStream out, long dropletId) throws IOException {
        byte[] buffer = new byte[8192];
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (IOException e) {
                throw new DropletBrokeOff(dropletId, e);
            }
            if (read < 0) {
                return;
            }
            out.write(buffer, 0, read);
        }
    }

    /** The droplet's answer ended before its end: the client gets a broken answer. */
    private static final class DropletBrokeOff extends IOException {
        final long dropletId;

        DropletBrokeOff(long dropletId, IOException cause) {
            super(cause);
            this.dropletId = dropletId;
        }
    }

    private static Set<String> dropped(@Nullable String connectionHeader) {
        if (connectionHeader == null || connectionHeader.isBlank()) {
            return HOP_BY_HOP;
        }
        Set<String> dropped = new HashSet<>(HOP_BY_HOP);
        for (String token : connectionHeader.split(",")) {
            dropped.add(token.trim().toLowerCase(Locale.ROOT));
        }
        return dropped;
    }

    private static void plain(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
