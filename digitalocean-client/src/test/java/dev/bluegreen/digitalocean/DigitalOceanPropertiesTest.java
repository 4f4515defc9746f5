package dev.bluegreen.digitalocean;

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
    void retriesDefaultToFiveAttemptsHalfASecondApartAtFirstAndAtMostTenSeconds() {
        runner.withPropertyValues("bluegreen.digitalocean.token=dop_v1_abc").run(context -> {
            DigitalOceanProperties.Retry retry = context.getBean(DigitalOceanProperties.class).retry();
            assertThat(retry.maxAttempts()).isEqualTo(5);
            assertThat(retry.firstBackoff()).isEqualTo(Duration.ofMillis(500));
            assertThat(retry.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void retrySettingsAreReadFromTheirKeys() {
        runner.withPropertyValues("bluegreen.digitalocean.token=dop_v1_abc",
                "bluegreen.digitalocean.retry.max-attempts=8", "bluegreen.digitalocean.retry.first-backoff=1s",
                "bluegreen.digitalocean.retry.max-backoff=30s").run(context -> {
                    DigitalOceanProperties.Retry retry = context.getBean(DigitalOceanProperties.class).retry();
                    assertThat(retry.maxAttempts()).isEqualTo(8);
                    assertThat(retry.firstBackoff()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(retry.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
                });
    }

    @Test
    void theSettingsNeverShowTheToken() {
        DigitalOceanProperties settings = new DigitalOceanProperties(null, "dop_v1_secret", null, null);

        assertThat(settings.toString()).doesNotContain("dop_v1_secret");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DigitalOceanProperties.class)
    static class Settings {
    }
}
