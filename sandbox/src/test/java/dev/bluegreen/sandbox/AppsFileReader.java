package dev.bluegreen.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppCatalogAutoConfiguration;
import dev.bluegreen.apps.AppSpec;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads an apps file the way the services do: Spring Boot's YAML loader and the validated app catalogue. */
final class AppsFileReader {

    /** What a service sees: the app as the catalogue binds it, and the other settings in the file. */
    record AppsFile(AppSpec app, Environment environment) {
    }

    static AppsFile read(Path file, String appName) {
        List<PropertySource<?>> sources;
        try {
            sources = new YamlPropertySourceLoader().load("apps file", new FileSystemResource(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicReference<AppsFile> read = new AtomicReference<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AppCatalogAutoConfiguration.class))
                .withInitializer(context -> sources.forEach(context.getEnvironment().getPropertySources()::addLast))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    read.set(new AppsFile(context.getBean(AppCatalog.class).require(appName), context.getEnvironment()));
                });
        return read.get();
    }

    private AppsFileReader() {
    }
}
