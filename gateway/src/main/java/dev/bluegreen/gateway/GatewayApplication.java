package dev.bluegreen.gateway;

import java.time.Clock;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

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

    public static void main(String[] args) {
        application().run(args);
    }
}
