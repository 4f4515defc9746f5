package dev.bluegreen.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.gateway.Secrets;

/**
 * Checks that a webhook delivery comes from the git host: GitHub's HMAC-SHA256 signature over the raw body, or
 * GitLab's token. Both are compared in constant time. Read and validated at start-up.
 */
@Component
class WebhookSecrets {

    private static final Logger log = LoggerFactory.getLogger(WebhookSecrets.class);
    private static final String SHA256 = "sha256=";

    private final Map<String, Settings> apps = new HashMap<>();

    WebhookSecrets(WebhookProperties properties, AppCatalog catalog) {
        properties.webhooks().forEach((app, hooks) -> {
            String key = "bluegreen.gateway.webhooks." + app;
            if (catalog.find(app).isEmpty()) {
                throw new IllegalStateException(key + " names '" + app + "', which is not a configured app");
            }
            apps.put(app, new Settings(
                    Secrets.read(hooks.githubSecret(), hooks.githubSecretFile(), key + ".github-secret").orElse(null),
                    Secrets.read(hooks.gitlabToken(), hooks.gitlabTokenFile(), key + ".gitlab-token").orElse(null)));
        });
    }

    /** @throws ResponseStatusException {@code 401} unless {@code signature} is the body's signature */
    void verifyGitHub(String app, @Nullable String signature, byte[] body) {
        byte[] secret = settings(app).map(Settings::githubSecret).orElse(null);
        if (secret == null) {
            log.warn("A GitHub webhook for {} was refused: set bluegreen.gateway.webhooks.{}.github-secret to accept "
                    + "them.", app, app);
            throw refused("signature");
        }
        if (signature == null || !signature.startsWith(SHA256)) {
            throw refused("signature");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.substring(SHA256.length()));
        } catch (IllegalArgumentException e) {
            throw refused("signature");
        }
        if (!MessageDigest.isEqual(hmacSha256(secret, body), given)) {
            throw refused("signature");
        }
    }

    /** @throws ResponseStatusException {@code 401} unless {@code token} is the app's GitLab token */
    void verifyGitLab(String app, @Nullable String token) {
        byte[] secret = settings(app).map(Settings::gitlabToken).orElse(null);
        if (secret == null) {
            log.warn("A GitLab webhook for {} was refused: set bluegreen.gateway.webhooks.{}.gitlab-token to accept "
                    + "them.", app, app);
            throw refused("token");
        }
        byte[] given = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(sha256(secret), sha256(given))) {
            throw refused("token");
        }
    }

    private Optional<Settings> settings(String app) {
        return Optional.ofNullable(apps.get(app));
    }

    private static ResponseStatusException refused(String what) {
        return new ResponseStatusException(HttpStatus.UNAUTHORIZED, "The webhook's " + what + " does not match");
    }

    static byte[] hmacSha256(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Settings(byte @Nullable [] githubSecret, byte @Nullable [] gitlabToken) {
    }
}
