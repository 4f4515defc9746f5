package dev.bluegreen.router.routing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Users of an app: a request to a balancer every {@value #EVERY_MILLIS} ms, noting what failed (a status outside 2xx,
 * or no answer) and which pages came back.
 */
final class SteadyLoad implements AutoCloseable {

    private static final long EVERY_MILLIS = 10;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService users = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "steady-load");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpRequest request;
    private final AtomicLong answered = new AtomicLong();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Set<String> pages = ConcurrentHashMap.newKeySet();
    private volatile String lastPage = "";

    private SteadyLoad(URI balancer) {
        request = HttpRequest.newBuilder(balancer.resolve("/")).timeout(Duration.ofSeconds(5))
                .GET().build();
        users.scheduleAtFixedRate(this::ask, 0, EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    static SteadyLoad through(URI balancer) {
        return new SteadyLoad(balancer);
    }

    private void ask() {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                answered.incrementAndGet();
                lastPage = response.body().strip();
                pages.add(lastPage);
            } else {
                failures.add(response.statusCode() + " " + response.body().strip());
            }
        } catch (java.io.IOException e) {
            failures.add("no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long answered() {
        return answered.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** The pages the users got, such as {@code hello from v1}. */
    Set<String> pages() {
        return Set.copyOf(pages);
    }

    String lastPage() {
        return lastPage;
    }

    @Override
    public void close() {
        users.shutdownNow();
        try {
            users.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
