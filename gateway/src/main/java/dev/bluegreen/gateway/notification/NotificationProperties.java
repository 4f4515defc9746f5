package dev.bluegreen.gateway.notification;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where each app's chat notifications go ({@code bluegreen.gateway.notifications.<app>.*}). A chat webhook's URL
 * holds its credential: give it from the environment ({@code url}) or a file ({@code url-file}).
 *
 * @param notifications per app, the Slack-compatible incoming webhook its deployments are posted to
 * @param notificationTimeout how long one chat post may take
 */
@ConfigurationProperties("bluegreen.gateway")
record NotificationProperties(@DefaultValue Map<String, Target> notifications,
        @DefaultValue("5s") Duration notificationTimeout) {

    /**
     * @param url the incoming webhook's URL; a secret
     * @param urlFile a file that holds the URL, instead of {@code url}
     */
    record Target(@Nullable String url, @Nullable Path urlFile) {

        @Override
        public String toString() {
            return "Target[url hidden]";
        }
    }
}
