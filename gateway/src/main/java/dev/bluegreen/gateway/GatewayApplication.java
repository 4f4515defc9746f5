package dev.bluegreen.gateway;

import java.time.Clock;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import tools.jackson.core.StreamReadFeature;

/**
 * The HTTP edge of bluegreen: webhooks and CI requests in; status, a live stream of pipeline events and chat
 * notifications out.
 * Its configuration is {@code gateway.yml}, so it can share a JVM with the other services.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(GatewayApplication.class).properties("spring.config.name=gateway");
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * A request body whose JSON repeats a key is refused: Jackson would quietly keep the last value, while a proxy, a
     * log or a reviewer in front of the gateway may have read the first.
     */
    @Bean
    JsonMapperBuilderCustomizer strictDuplicateKeys() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
