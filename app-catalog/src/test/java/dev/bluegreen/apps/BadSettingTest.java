package dev.bluegreen.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@ExtendWith(OutputCaptureExtension.class)
class BadSettingTest {

    @Test
    void aBadSettingStopsTheStartWithTheProblemAndTheFixAndNoStackTrace(CapturedOutput output) {
        SpringApplication service = new SpringApplication(ServiceWithABadSetting.class);
        service.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(service::run).hasRootCauseInstanceOf(BadSetting.class);

        assertThat(output.toString())
                .contains("APPLICATION FAILED TO START",
                        "bluegreen.example.colour is 'purple', which is not a colour",
                        "Set bluegreen.example.colour to blue or green.")
                .doesNotContain("\tat ", "Caused by");
    }

    @Configuration(proxyBeanMethods = false)
    static class ServiceWithABadSetting {

        @Bean
        String colour() {
            throw new BadSetting("bluegreen.example.colour", "bluegreen.example.colour is 'purple', which is not a "
                    + "colour", "Set bluegreen.example.colour to blue or green.");
        }
    }
}
