package dev.bluegreen.gateway.webhook;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The git hosts' webhooks, per app ({@code bluegreen.gateway.webhooks.<app>.*}). Secrets come from the environment
 * or a file, never from the apps file.
 */
@ConfigurationProperties("bluegreen.gateway")
record WebhookProperties(@DefaultValue Map<String, AppWebhooks> webhooks) {

    /**
     * @param githubSecret the secret GitHub signs deliveries with ({@code X-Hub-Signature-256}); or
     *     {@code github-secret-file}
     * @param gitlabToken the secret token GitLab sends as {@code X-Gitlab-Token}; or {@code gitlab-token-file}
     * @param branches the branches whose pushes are deployed; empty for the app's {@code branch}
     * @param tags glob patterns, such as {@code v*}: a pushed tag that matches one is deployed; empty (the default)
     *     deploys no tag. See {@link TagPattern}.
     */
    record AppWebhooks(@Nullable String githubSecret, @Nullable Path githubSecretFile, @Nullable String gitlabToken,
            @Nullable Path gitlabTokenFile, @DefaultValue List<String> branches, @DefaultValue List<String> tags) {

        @Override
        public String toString() {
            return "AppWebhooks[branches=" + branches + ", tags=" + tags + "]";
        }
    }
}
