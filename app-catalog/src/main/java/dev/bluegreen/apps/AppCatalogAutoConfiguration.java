package dev.bluegreen.apps;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Gives every service that has this jar an {@link AppCatalog} read and validated from the apps file. */
@AutoConfiguration
@EnableConfigurationProperties(AppCatalogProperties.class)
public class AppCatalogAutoConfiguration {

    @Bean
    AppCatalog appCatalog(AppCatalogProperties properties) {
        return new AppCatalog(properties);
    }
}
