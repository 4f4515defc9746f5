package dev.bluegreen.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A gateway started the way the local stack starts it, with an apps file holding two apps, {@code shop} and
 * {@code wiki}, on a free port, with a CI token for each and webhook secrets for both. Its droplets are never
 * contacted.
 * <p>
 * Every test in the JVM shares one broker, so {@code shop} and {@code wiki} carry every test's events, and the state
 * machine folds them all into one history each. A test that needs an app's state to be its own alone starts the
 * gateway with apps of its own ({@link #newApp}), which the {@code ci} token may act on too.
 */
public final class RunningGateway implements AutoCloseable {

    static final String APPS_FILE = """
            bluegreen:
              apps:
                shop:
                  load-balancer-id: 4de7ac8b-495b-4884-9a69-1050c6793cd6
                  repository: https://github.com/acme/shop.git
                  droplets:
                    blue:
                      - id: 101
                        ssh: 127.0.0.1:2201
                        http: http://127.0.0.1:8101
                    green:
                      - id: 102
                        ssh: 127.0.0.1:2202
                        http: http://127.0.0.1:8102
                wiki:
                  load-balancer-id: 5ee7ac8b-495b-4884-9a69-1050c6793cd7
                  repository: https://gitlab.com/acme/wiki.git
                  branch: trunk
                  initial-live-colour: green
                  droplets:
                    blue:
                      - id: 201
                        ssh: 127.0.0.1:2211
                        http: http://127.0.0.1:8201
                    green:
                      - id: 202
                        ssh: 127.0.0.1:2212
                        http: http://127.0.0.1:8202
            """;

    /** The CI token for {@code shop}, named {@code ci}. */
    public static final String SHOP_TOKEN = "shop-ci-token-2f9a61";
    /** The CI token for {@code wiki} only, named {@code wiki-ci}. */
    public static final String WIKI_TOKEN = "wiki-ci-token-77c0e2";
    /** A token that may only read, every app, named {@code dashboard}. */
    public static final String READ_TOKEN = "dashboard-read-token-4b8e17";
    public static final String GITHUB_SECRET = "github-webhook-secret-5d1e";
    public static final String GITLAB_TOKEN = "gitlab-webhook-token-a93b";

    private final ConfigurableApplicationContext context;
    private final String baseUrl;

    private RunningGateway(ConfigurableApplicationContext context) {
        this.context = context;
        this.baseUrl = "http://localhost:" + context.getEnvironment().getRequiredProperty("local.server.port");
    }

    /**
     * @param directory where the apps file is written
     * @param bootstrapServers the Kafka the gateway talks to
     * @param arguments more {@code --key=value} settings
     */
    public static RunningGateway start(Path directory, String bootstrapServers, String... arguments) {
        return start(directory, bootstrapServers, List.of(), arguments);
    }

    /**
     * @param moreApps apps besides {@code shop} and {@code wiki}, blue live at first, that the {@code ci} token may
     *     act on
     */
    public static RunningGateway start(Path directory, String bootstrapServers, List<String> moreApps,
            String... arguments) {
        Path appsFile = directory.resolve("apps.yml");
        StringBuilder apps = new StringBuilder(APPS_FILE);
        for (int i = 0; i < moreApps.size(); i++) {
            apps.append(app(moreApps.get(i), 300 + 10 * i));
        }
        try {
            Files.writeString(appsFile, apps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Command-line arguments, because the builder's properties are defaults that gateway.yml overrides.
        List<String> settings = new ArrayList<>(List.of(
                "--bluegreen.config=" + appsFile,
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--server.port=0",
                "--bluegreen.gateway.tokens.ci.secret=" + SHOP_TOKEN,
                "--bluegreen.gateway.tokens.ci.apps=" + String.join(",", concat("shop", moreApps)),
                "--bluegreen.gateway.tokens.wiki-ci.secret=" + WIKI_TOKEN,
                "--bluegreen.gateway.tokens.wiki-ci.apps=wiki",
                "--bluegreen.gateway.tokens.dashboard.secret=" + READ_TOKEN,
                "--bluegreen.gateway.tokens.dashboard.apps=*",
                "--bluegreen.gateway.tokens.dashboard.scope=read",
                "--bluegreen.gateway.webhooks.shop.github-secret=" + GITHUB_SECRET,
                "--bluegreen.gateway.webhooks.wiki.gitlab-token=" + GITLAB_TOKEN));
        settings.addAll(List.of(arguments));
        return new RunningGateway(GatewayApplication.application().run(settings.toArray(String[]::new)));
    }

    /** A name for an app of one test's own, such as {@code notes-3f9a1c}: no other test's events are about it. */
    public static String newApp(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static String app(String name, int number) {
        return """
                    %1$s:
                      load-balancer-id: %2$s
                      repository: https://github.com/acme/%1$s.git
                      droplets:
                        blue:
                          - id: %3$d
                            ssh: 127.0.0.1:%4$d
                            http: http://127.0.0.1:%5$d
                        green:
                          - id: %6$d
                            ssh: 127.0.0.1:%7$d
                            http: http://127.0.0.1:%8$d
                """.formatted(name, UUID.nameUUIDFromBytes(name.getBytes()), number + 1, 2000 + number + 1,
                8000 + number + 1, number + 2, 2000 + number + 2, 8000 + number + 2);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /**
     * The test clients' connections: one idle for half a second is not used again. A test may give the gateway an
     * idle timeout of a second or two ({@code server.netty.idle-timeout}); a client that took a pooled connection just
     * as the gateway closed it would fail the request ("closed BEFORE response") for no fault of the gateway's.
     */
    private static final ConnectionProvider CONNECTIONS =
            ConnectionProvider.builder("gateway-tests").maxIdleTime(Duration.ofMillis(500)).build();

    /** A client that sends no token. */
    public WebTestClient http() {
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(CONNECTIONS)))
                .baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** A client that sends the {@code shop} CI token with every request. */
    public WebTestClient authorized() {
        return http().mutate().defaultHeader("Authorization", "Bearer " + SHOP_TOKEN).build();
    }

    /** A client that sends the read-only token for every app with every request. */
    public WebTestClient reader() {
        return http().mutate().defaultHeader("Authorization", "Bearer " + READ_TOKEN).build();
    }

    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A client for the event stream, with the read-only token for every app. */
    public WebClient webClient() {
        return WebClient.builder().baseUrl(baseUrl).defaultHeader("Authorization", "Bearer " + READ_TOKEN).build();
    }

    @Override
    public void close() {
        context.close();
    }
}
