package dev.bluegreen.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppCatalogAutoConfiguration;
import dev.bluegreen.apps.AppSpec;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
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
        return load(file, context -> new AppsFile(context.getBean(AppCatalog.class).require(appName),
                context.getEnvironment()));
    }

    /** Every app in the file, as the catalogue binds and validates them. */
    static AppCatalog catalog(Path file) {
        return load(file, context -> context.getBean(AppCatalog.class));
    }

    private static <T> T load(Path file, Function<AssertableApplicationContext, T> reading) {
        List<PropertySource<?>> sources;
        try {
            sources = new YamlPropertySourceLoader().load("apps file", new FileSystemResource(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicReference<T> read = new AtomicReference<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AppCatalogAutoConfiguration.class))
                .withInitializer(context -> sources.forEach(context.getEnvironment().getPropertySources()::addLast))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    read.set(reading.apply(context));
                });
        return read.get();
    }

    private AppsFileReader() {
    }
}
