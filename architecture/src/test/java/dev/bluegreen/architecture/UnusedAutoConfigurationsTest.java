package dev.bluegreen.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

import dev.bluegreen.pipeline.PipelineDefaults;

/**
 * The auto-configurations every service leaves out by default ({@link PipelineDefaults#UNUSED_AUTO_CONFIGURATIONS})
 * are named as Spring Boot names them. Spring Boot ignores an exclusion of a class it does not know, so a name that a
 * Spring Boot upgrade moved would quietly bring the auto-configuration back; this fails instead. Run here, where every
 * service is on the class path.
 */
class UnusedAutoConfigurationsTest {

    @Test
    void everyAutoConfigurationLeftOutIsOneSpringBootWouldOtherwiseApply() {
        List<String> candidates = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
                .getCandidates();

        assertThat(PipelineDefaults.UNUSED_AUTO_CONFIGURATIONS.split(",")).hasSize(9)
                .allSatisfy(name -> assertThat(candidates).contains(name));
    }
}
