package dev.bluegreen.router.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class DigitalOceanPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Settings.class);

    @Test
    void aMissingTokenStopsStartUpSayingToSetDigitaloceanToken() {
        runner.withPropertyValues("bluegreen.digitalocean.token=").run(context -> assertThat(context)
                .getFailure().rootCause()
                .hasMessageContaining("bluegreen.digitalocean")
                .hasMessageContaining("set the DIGITALOCEAN_TOKEN environment variable"));
    }

    @Test
    void theApiUrlAndTimeoutDefaultToDigitalOceansOwn() {
        runner.withPropertyValues("bluegreen.digitalocean.token=dop_v1_abc").run(context -> {
            DigitalOceanProperties settings = context.getBean(DigitalOceanProperties.class);
            assertThat(settings.apiUrl()).isEqualTo(URI.create("https://api.digitalocean.com"));
            assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void theSettingsNeverShowTheToken() {
        DigitalOceanProperties settings = new DigitalOceanProperties(null, "dop_v1_secret", null);

        assertThat(settings.toString()).doesNotContain("dop_v1_secret");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DigitalOceanProperties.class)
    static class Settings {
    }
}
