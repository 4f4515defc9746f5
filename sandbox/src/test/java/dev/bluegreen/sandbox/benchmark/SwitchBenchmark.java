package dev.bluegreen.sandbox.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxDroplet;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.sandbox.droplet.ExecResult;
import dev.bluegreen.sandbox.sampleapp.SampleAppSteps;
import dev.bluegreen.sandbox.sampleapp.Step;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Does a switch between colours drop requests? Puts steady load through the sandbox's load balancer with
 * {@code wrk} (a separate process) and measures three windows of equal length: no switch (steady state); switches
 * done the naive way, replacing the pool in one {@code PUT} as a simple script would; and switches done in the
 * no-drop order, adding the new colour, waiting until the balancer's health check passes it
 * ({@code droplets_health_checks}), then removing the old. Every call goes through the simulated API over HTTP.
 *
 * <p>Run it with {@code sandbox/benchmarks/switch-benchmark.sh [seconds-per-window] [requests-per-second]}.
 */
public final class SwitchBenchmark {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Duration BETWEEN_SWITCHES = Duration.ofMillis(500);

    private final Sandbox sandbox;
    private final HttpClient http = HttpClient.newHttpClient();

    private SwitchBenchmark(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        if (!wrkInstalled()) {
            System.err.println("wrk is not installed. Install it with: sudo apt-get install -y wrk");
            System.exit(2);
        }
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults())) {
            SwitchBenchmark benchmark = new SwitchBenchmark(sandbox);
            sandbox.droplets(Colour.GREEN).parallelStream().forEach(droplet -> deploy(sandbox, droplet, "v2"));
            System.out.printf(Locale.ROOT, "Load: wrk, %d connections paced to about %d requests/s in total, %d s a"
                    + " window; health check every 200 ms, 2 passes to join.%n", connections(rate), rate, seconds);
            Result steady = benchmark.measure("steady state (no switch)", seconds, rate, null);
            Result naive = benchmark.measure("naive: replace the pool in one PUT", seconds, rate, benchmark::naive);
            Result safe = benchmark.measure("add, wait until healthy, remove", seconds, rate, benchmark::safe);
            System.out.println();
            System.out.println(Result.HEADER);
            for (Result result : List.of(steady, naive, safe)) {
                System.out.println(result.row());
            }
        }
        System.exit(0);
    }

    /** One way of moving traffic from one colour to the other. */
    @FunctionalInterface
    private interface Switch {
        void move(Colour from, Colour to) throws Exception;
    }

    private Result measure(String name, int seconds, int rate, Switch how) throws Exception {
        CompletableFuture<String> load = CompletableFuture.supplyAsync(() -> wrk(seconds, rate));
        int switches = 0;
        Colour live = liveColour();
        Instant end = Instant.now().plusSeconds(seconds).minus(Duration.ofSeconds(1));
        Thread.sleep(1_000); // wrk warms up first
        while (how != null && Instant.now().isBefore(end)) {
            Colour next = live == Colour.BLUE ? Colour.GREEN : Colour.BLUE;
            how.move(live, next);
            live = next;
            switches++;
            Thread.sleep(BETWEEN_SWITCHES.toMillis());
        }
        return Result.of(name, switches, load.get(seconds + 30L, TimeUnit.SECONDS));
    }

    /** What a simple script does: read the balancer and PUT it back with the other colour's droplets. */
    private void naive(Colour from, Colour to) throws Exception {
        ObjectNode balancer = (ObjectNode) api("GET", "/v2/load_balancers/" + sandbox.loadBalancerId(), null)
                .get("load_balancer");
        ObjectNode body = MAPPER.createObjectNode();
        for (String field : List.of("name", "region", "forwarding_rules", "health_check", "sticky_sessions",
                "http_idle_timeout_seconds")) {
            body.set(field, field.equals("region") ? balancer.get("region").get("slug") : balancer.get(field));
        }
        ArrayNode ids = body.putArray("droplet_ids");
        sandbox.dropletIds(to).forEach(ids::add);
        untilNotBusy("PUT", "/v2/load_balancers/" + sandbox.loadBalancerId(), body.toString());
    }

    /** The no-drop order: add the new colour, wait until the balancer finds it healthy, then remove the old. */
    private void safe(Colour from, Colour to) throws Exception {
        String droplets = "/v2/load_balancers/" + sandbox.loadBalancerId() + "/droplets";
        untilNotBusy("POST", droplets, "{\"droplet_ids\":" + sandbox.dropletIds(to) + "}");
        Instant deadline = Instant.now().plusSeconds(20);
        while (!healthy(sandbox.dropletIds(to))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The new colour never became healthy");
            }
            Thread.sleep(200); // the health check's interval: polling faster learns nothing and spends the rate limit
        }
        untilNotBusy("DELETE", droplets, "{\"droplet_ids\":" + sandbox.dropletIds(from) + "}");
    }

    private boolean healthy(List<Long> ids) throws Exception {
        long now = Instant.now().getEpochSecond();
        JsonNode result = api("GET", "/v2/monitoring/metrics/load_balancer/droplets_health_checks?lb_id="
                + sandbox.loadBalancerId() + "&start=" + (now - 5) + "&end=" + now, null).get("data").get("result");
        long passing = 0;
        for (JsonNode series : result) {
            JsonNode values = series.get("values");
            boolean up = "1".equals(values.get(values.size() - 1).get(1).asString());
            if (up && ids.contains(Long.parseLong(series.get("metric").get("droplet_id").asString()))) {
                passing++;
            }
        }
        return passing == ids.size();
    }

    private Colour liveColour() {
        List<Long> attached = sandbox.simulator().dropletIdsOf(sandbox.loadBalancerId());
        return attached.containsAll(sandbox.dropletIds(Colour.GREEN)) ? Colour.GREEN : Colour.BLUE;
    }

    private void untilNotBusy(String method, String path, String body) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = send(method, path, body);
            if (response.statusCode() / 100 == 2) {
                return;
            }
            if (response.statusCode() != 403 || attempt > 50) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + " "
                        + response.body());
            }
            Thread.sleep(100);
        }
    }

    private JsonNode api(String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
        }
        return MAPPER.readTree(response.body());
    }

    /** Sends one API request; a 429 waits as long as {@code retry-after} says and sends it again. */
    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpResponse<String> response = sendOnce(method, path, body);
        while (response.statusCode() == 429) {
            long seconds = response.headers().firstValueAsLong("retry-after").orElse(1);
            System.out.printf("The API's rate limit was reached; waiting %d s.%n", seconds);
            Thread.sleep(seconds * 1000);
            response = sendOnce(method, path, body);
        }
        return response;
    }

    private HttpResponse<String> sendOnce(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.apiUrl() + path))
                .header("Authorization", "Bearer " + sandbox.apiToken()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean wrkInstalled() {
        try {
            return new ProcessBuilder("sh", "-c", "command -v wrk").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int connections(int rate) {
        return Math.max(2, rate / 25);
    }

    /** A connection's pause between requests: its share of the rate, less the few ms an answer takes. */
    private static int pauseMillis(int rate) {
        return Math.max(1, 1000 * connections(rate) / rate - 5);
    }

    /** Runs wrk paced to about {@code rate} requests a second; its Lua script prints one line of figures. */
    private String wrk(int seconds, int rate) {
        try {
            int connections = connections(rate);
            Path script = Files.createTempFile("switch-benchmark", ".lua");
            Files.writeString(script, """
                    local pause = %d
                    local threads = {}
                    function setup(thread) table.insert(threads, thread) end
                    function init(args) failed = {} end
                    function delay() return pause end
                    function response(status, headers, body)
                      if status >= 400 then failed[status] = (failed[status] or 0) + 1 end
                    end
                    done = function(summary, latency, requests)
                      local e = summary.errors
                      io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
                        summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
                        latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
                        latency.mean))
                      local statuses = {}
                      for _, thread in ipairs(threads) do
                        for status, count in pairs(thread:get("failed")) do
                          statuses[status] = (statuses[status] or 0) + count
                        end
                      end
                      io.write("STATUSES")
                      for status, count in pairs(statuses) do io.write(string.format(" %%d:%%d", status, count)) end
                      io.write("\\n")
                    end
                    """.formatted(pauseMillis(rate)));
            Process wrk = new ProcessBuilder("wrk", "-t", "2", "-c", String.valueOf(connections), "-d",
                    seconds + "s", "--timeout", "5s", "-s", script.toString(), sandbox.loadBalancerUrl() + "/")
                    .redirectErrorStream(true).start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            wrk.waitFor();
            Files.deleteIfExists(script);
            return output;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deploy(Sandbox sandbox, SandboxDroplet droplet, String version) {
        Map<String, String> values = Map.of("app", sandbox.appName(), "ref", version,
                "commit", sandbox.repository().commitOf(version), "deployment_id", "benchmark",
                "colour", droplet.colour().wireName(), "repository", sandbox.repositoryUrl(), "branch", "main",
                "directory", SampleAppSteps.DIRECTORY);
        for (Step step : SampleAppSteps.deploySteps()) {
            ExecResult result = droplet.server().exec(step.render(values), step.timeout());
            if (!result.succeeded()) {
                throw new IllegalStateException("Deploying " + version + " to " + droplet.name() + " failed at "
                        + step.name() + ":\n" + result.outputTail(20));
            }
        }
    }

    /** One window's figures, read from wrk's output. Latencies in milliseconds. */
    private record Result(String name, int switches, long requests, double seconds, long failedStatus,
            long socketErrors, long timeouts, double p50, double p99, double p999, double max) {

        static final String HEADER = String.format(Locale.ROOT, "%-36s %8s %9s %7s %8s %8s %8s %8s %8s %8s",
                "window", "switches", "requests", "req/s", "non-2xx", "sockerr", "p50 ms", "p99 ms", "p99.9 ms",
                "max ms");

        static Result of(String name, int switches, String wrkOutput) {
            wrkOutput.lines().filter(l -> l.startsWith("STATUSES ")).findFirst()
                    .ifPresent(l -> System.out.println(name + ": failed answers by status " + l.substring(9)));
            String line = wrkOutput.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk printed no result:\n" + wrkOutput));
            String[] f = line.substring("RESULT ".length()).trim().split("\\s+");
            return new Result(name, switches, Long.parseLong(f[0]), Long.parseLong(f[1]) / 1e6,
                    Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), ms(f[5]), ms(f[6]), ms(f[7]),
                    ms(f[8]));
        }

        private static double ms(String micros) {
            return Double.parseDouble(micros) / 1000;
        }

        String row() {
            return String.format(Locale.ROOT, "%-36s %8d %9d %7.0f %8d %8d %8.1f %8.1f %8.1f %8.1f", name, switches,
                    requests, requests / seconds, failedStatus, socketErrors + timeouts, p50, p99, p999, max);
        }
    }
}
