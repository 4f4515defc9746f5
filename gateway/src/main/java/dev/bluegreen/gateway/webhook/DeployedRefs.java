package dev.bluegreen.gateway.webhook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.BadSetting;

/**
 * Which pushes deploy an app: pushes to its branches ({@code bluegreen.gateway.webhooks.<app>.branches}, else the
 * apps file's {@code branch}), and pushes of tags that match one of its {@code tags} patterns (none by default). The
 * patterns are checked at start-up.
 */
@Component
class DeployedRefs {

    private final AppCatalog catalog;
    private final Map<String, List<String>> branches = new HashMap<>();
    private final Map<String, List<TagPattern>> tags = new HashMap<>();

    DeployedRefs(WebhookProperties properties, AppCatalog catalog) {
        this.catalog = catalog;
        properties.webhooks().forEach((app, hooks) -> {
            if (catalog.find(app).isEmpty()) {
                return; // WebhookSecrets stops the start, with a message that names the app
            }
            branches.put(app, List.copyOf(hooks.branches()));
            tags.put(app, patterns("bluegreen.gateway.webhooks." + app + ".tags", hooks.tags()));
        });
    }

    /** Why a push to {@code branch} does not deploy the app; empty when it does. */
    Optional<String> whyNotBranch(String app, String branch) {
        List<String> deployed = branches(app);
        if (deployed.contains(branch)) {
            return Optional.empty();
        }
        return Optional.of("Pushes to '" + branch + "' are not deployed; '" + app + "' deploys pushes to "
                + String.join(", ", deployed));
    }

    /** Why a push of {@code tag} does not deploy the app; empty when it does. */
    Optional<String> whyNotTag(String app, String tag) {
        List<TagPattern> patterns = tags.getOrDefault(app, List.of());
        if (patterns.isEmpty()) {
            return Optional.of("Tag pushes do not deploy '" + app + "'; set bluegreen.gateway.webhooks." + app
                    + ".tags, such as [\"v*\"], to deploy the tags that match");
        }
        if (patterns.stream().anyMatch(pattern -> pattern.matches(tag))) {
            return Optional.empty();
        }
        return Optional.of("The tag '" + tag + "' is not deployed; '" + app + "' deploys tags that match "
                + patterns.stream().map(TagPattern::glob).collect(Collectors.joining(", ")));
    }

    private List<String> branches(String app) {
        List<String> configured = branches.getOrDefault(app, List.of());
        return configured.isEmpty() ? List.of(catalog.require(app).branch()) : configured;
    }

    private static List<TagPattern> patterns(String key, List<String> globs) {
        List<TagPattern> patterns = new ArrayList<>();
        for (int i = 0; i < globs.size(); i++) {
            try {
                patterns.add(TagPattern.compile(globs.get(i)));
            } catch (IllegalArgumentException e) {
                throw new BadSetting(key + "[" + i + "]", key + "[" + i + "] '" + globs.get(i) + "' is not a tag "
                        + "pattern: " + e.getMessage(), "Write it as a glob, such as v* or release/**: * matches any "
                        + "characters but /, ** any characters, ? one character, [0-9] one of a class.");
            }
        }
        return List.copyOf(patterns);
    }
}
