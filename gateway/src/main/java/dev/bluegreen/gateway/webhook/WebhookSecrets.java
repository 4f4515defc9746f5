package dev.bluegreen.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.gateway.Secrets;

/**
 * Checks that a webhook delivery comes from the git host: GitHub's HMAC-SHA256 signature over the raw body, or
 * GitLab's token. Both are compared in constant time. Read and validated at start-up. A delivery for an app that is
 * not configured is refused exactly as one with a bad signature, after the same work, so the answers do not tell
 * which apps exist.
 */
@Component
class WebhookSecrets {

    private static final Logger log = LoggerFactory.getLogger(WebhookSecrets.class);
    private static final String SHA256 = "sha256=";
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Cf}]");
    /** Stands in for an unknown app's secret, so refusing it costs what checking a signature does. */
    private static final byte[] NO_SECRET = new byte[32];

    private final Map<String, Settings> apps = new HashMap<>();

    private final AppCatalog catalog;

    WebhookSecrets(WebhookProperties properties, AppCatalog catalog) {
        this.catalog = catalog;
        properties.webhooks().forEach((app, hooks) -> {
            String key = "bluegreen.gateway.webhooks." + app;
            if (catalog.find(app).isEmpty()) {
                throw new BadSetting(key, key + " names '" + app + "', which is not a configured app",
                        "Add '" + app + "' to the apps file (bluegreen.apps." + app + "), or remove " + key
                                + ". The apps file configures " + catalog.names() + ".");
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
            hmacSha256(NO_SECRET, body);
            notAccepted("GitHub", app, "github-secret");
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
            sha256(NO_SECRET);
            notAccepted("GitLab", app, "gitlab-token");
            throw refused("token");
        }
        byte[] given = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(sha256(secret), sha256(given))) {
            throw refused("token");
        }
    }

    /** The log tells the operator what the answer does not: which app, and what would accept its webhooks. */
    private void notAccepted(String host, String app, String setting) {
        if (catalog.find(app).isPresent()) {
            log.warn("A {} webhook for {} was refused: set bluegreen.gateway.webhooks.{}.{} to accept them.", host,
                    app, app, setting);
        } else {
            String named = CONTROL.matcher(app.length() > 100 ? app.substring(0, 100) + "..." : app).replaceAll("?");
            log.info("A {} webhook for '{}' was refused: no app of that name is configured.", host, named);
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
