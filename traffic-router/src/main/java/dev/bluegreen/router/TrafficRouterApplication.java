package dev.bluegreen.router;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.digitalocean.DigitalOceanProperties;

/** Moves an app's load balancer to the healthy colour, and back on rollback, through the DigitalOcean API. */
@SpringBootApplication
@ConfigurationPropertiesScan
// the client lives in its own library, which no scan reaches: the router asks for it by name
@EnableConfigurationProperties(DigitalOceanProperties.class)
@Import(DigitalOceanClient.class)
public class TrafficRouterApplication {

    /**
     * The service's name: its config file, the application id its instances share to split the apps' lifecycles,
     * and the source of the events it publishes.
     */
    public static final String NAME = "traffic-router";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(TrafficRouterApplication.class).main(TrafficRouterApplication.class)
                .properties("spring.config.name=" + NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }

}
