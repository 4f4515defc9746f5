package dev.bluegreen.apps;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The configured apps, looked up by name. */
public final class AppCatalog {

    private final AppCatalogProperties properties;

    public AppCatalog(AppCatalogProperties properties) {
        this.properties = properties;
    }

    public Optional<AppSpec> find(String app) {
        return Optional.ofNullable(properties.apps().get(app));
    }

    /** @throws UnknownAppException when no app of that name is configured */
    public AppSpec require(String app) {
        return find(app).orElseThrow(() -> new UnknownAppException(app));
    }

    public Set<String> names() {
        return new TreeSet<>(properties.apps().keySet());
    }
}
