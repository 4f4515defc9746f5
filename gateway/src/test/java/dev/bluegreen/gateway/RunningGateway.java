package dev.bluegreen.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A gateway started the way the local stack starts it, with an apps file holding one app, {@code shop}, on a free
 * port. Its droplets are never contacted.
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
            """;

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
        Path appsFile = directory.resolve("apps.yml");
        try {
            Files.writeString(appsFile, APPS_FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Command-line arguments, because the builder's properties are defaults that gateway.yml overrides.
        String[] settings = new String[arguments.length + 3];
        settings[0] = "--bluegreen.config=" + appsFile;
        settings[1] = "--spring.kafka.bootstrap-servers=" + bootstrapServers;
        settings[2] = "--server.port=0";
        System.arraycopy(arguments, 0, settings, 3, arguments.length);
        return new RunningGateway(GatewayApplication.application().run(settings));
    }

    public WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(30)).build();
    }

    public WebClient webClient() {
        return WebClient.create(baseUrl);
    }

    @Override
    public void close() {
        context.close();
    }
}
