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
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.LoadBalancer;
import dev.bluegreen.sandbox.loadbalancer.Rotation.Backend;

/**
 * A simulated load balancer's data plane: an HTTP reverse proxy on 127.0.0.1 that sends each request, round
 * robin, to one droplet the simulator says is attached at that moment, so attaching and detaching through the
 * API moves traffic at once. A droplet that refuses the connection is skipped for the next one; when none answers
 * the client gets 503. Every relayed answer names its droplet in {@value #DROPLET_HEADER}.
 */
public final class LoadBalancerProxy implements AutoCloseable {

    /** The response header naming the droplet that answered. */
    public static final String DROPLET_HEADER = "X-Sandbox-Droplet";

    private static final Logger log = LoggerFactory.getLogger(LoadBalancerProxy.class);

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
    private final DigitalOceanSimulator simulator;
    private final String loadBalancerId;
    private final Rotation rotation;

    private LoadBalancerProxy(HttpServer server, ExecutorService executor, DigitalOceanSimulator simulator,
            String loadBalancerId) {
        this.server = server;
        this.executor = executor;
        this.simulator = simulator;
        this.loadBalancerId = loadBalancerId;
        this.rotation = new Rotation(simulator, loadBalancerId);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Starts proxying for a load balancer of the simulator until {@link #close()}.
     *
     * @param port the port to bind on 127.0.0.1, or 0 for any free one
     * @throws IllegalArgumentException when the simulator has no such load balancer
     */
    public static LoadBalancerProxy start(DigitalOceanSimulator simulator, String loadBalancerId, int port) {
        LoadBalancer balancer = simulator.loadBalancer(loadBalancerId).orElseThrow(
                () -> new IllegalArgumentException("The simulator has no load balancer " + loadBalancerId));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("Load balancer " + balancer.name() + " could not listen on port " + port, e);
        }
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads(balancer.name()));
        LoadBalancerProxy proxy = new LoadBalancerProxy(server, executor, simulator, loadBalancerId);
        server.createContext("/", proxy::handle);
        server.setExecutor(executor);
        server.start();
        log.info("Load balancer {} is proxying at {}.", balancer.name(), proxy.url());
        return proxy;
    }

    /** Where clients reach the load balancer, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String loadBalancerId() {
        return loadBalancerId;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            List<Backend> backends;
            Duration timeout;
            try {
                backends = rotation.forNextRequest();
                timeout = Duration.ofSeconds(simulator.loadBalancer(loadBalancerId)
                        .map(balancer -> balancer.settings().httpIdleTimeoutSeconds()).orElse(60));
            } catch (ApiException gone) {
                backends = List.of();
                timeout = Duration.ZERO;
            }
            for (Backend backend : backends) {
                if (forward(exchange, body, backend, timeout)) {
                    return;
                }
            }
            plain(exchange, 503, "No droplet behind this load balancer is available.\n");
        }
    }

    /** Relays the exchange to one droplet; false when the droplet could not be reached, so another may try. */
    private boolean forward(HttpExchange exchange, byte[] body, Backend backend, Duration timeout)
            throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request(exchange, body, backend, timeout),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            log.debug("Droplet {} refused a connection from load balancer {}; trying the next droplet.",
                    backend.dropletId(), loadBalancerId);
            return false;
        } catch (HttpTimeoutException e) {
            plain(exchange, 504, "Droplet " + backend.dropletId() + " did not answer in time.\n");
            return true;
        } catch (IOException e) {
            log.debug("Droplet {} failed a request from load balancer {}.", backend.dropletId(), loadBalancerId, e);
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
        headers.set(DROPLET_HEADER, String.valueOf(backend.dropletId()));
        int status = response.statusCode();
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean bodiless = "HEAD".equals(exchange.getRequestMethod()) || status == 204 || status == 304
                || length == 0;
        try (InputStream in = response.body()) {
            exchange.sendResponseHeaders(status, bodiless ? -1 : Math.max(length, 0));
            if (!bodiless) {
                try (OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
            }
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

    private static ThreadFactory daemonThreads(String balancerName) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "lb-" + balancerName + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
