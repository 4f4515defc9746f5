package dev.bluegreen.gateway.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The git hosts' webhooks, per app ({@code bluegreen.gateway.webhooks.<app>.*}). Secrets come from the environment
 * or a file, never from the apps file.
 *
 * @param webhooks per app, the secrets its git host signs pushes with and the branches and tags that deploy
 * @param webhookHistoryWait how long a webhook that comes while a just-started gateway reads the pipeline's history
 *     waits for it before it is answered {@code 503} with {@code Retry-After}: under GitHub's 10 s, after which GitHub
 *     gives up on a delivery and never retries it
 */
@ConfigurationProperties("bluegreen.gateway")
record WebhookProperties(@DefaultValue Map<String, AppWebhooks> webhooks,
        @DefaultValue("5s") Duration webhookHistoryWait) {

    /** GitHub gives up on a delivery that is not answered within 10 s; leave a second for the rest. */
    static final Duration LONGEST_HISTORY_WAIT = Duration.ofSeconds(9);

    /**
     * @param githubSecret the secret GitHub signs deliveries with ({@code X-Hub-Signature-256}); or
     *     {@code github-secret-file}
     * @param githubSecretFile a file that holds the GitHub secret, instead of {@code github-secret}
     * @param gitlabToken the secret token GitLab sends as {@code X-Gitlab-Token}; or {@code gitlab-token-file}
     * @param gitlabTokenFile a file that holds the GitLab token, instead of {@code gitlab-token}
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
