package dev.bluegreen.gateway.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.gateway.Secrets;

/**
 * Checks the {@code Authorization: Bearer ...} of an API request against the configured tokens. Tokens are compared
 * as SHA-256 digests with {@link MessageDigest#isEqual}, every configured token each time, so neither the time taken
 * nor an early exit tells a caller how close a guess was.
 */
@Component
public class ApiTokens {

    private static final String BEARER = "Bearer ";

    private final List<Holder> holders;
    private final AppCatalog catalog;
    private final boolean publicReads;

    ApiTokens(TokenProperties properties, AppCatalog catalog) {
        this.catalog = catalog;
        this.publicReads = properties.readAccess() == TokenProperties.ReadAccess.PUBLIC;
        this.holders = properties.tokens().entrySet().stream().map(entry -> holder(entry, catalog)).toList();
    }

    /**
     * For a request that changes something: deploy, roll back, promote, cancel.
     *
     * @return the token's name: the request's actor
     * @throws ResponseStatusException {@code 401} without a valid token, {@code 403} when the token is not for
     *     {@code app} or may only read
     * @throws dev.bluegreen.apps.UnknownAppException for a valid token but an unknown app
     */
    public String authorize(@Nullable String authorization, String app) {
        Holder holder = authenticate(authorization);
        catalog.require(app);
        if (!holder.isFor(app)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "This token may not act on '" + app + "'");
        }
        if (holder.scope() == TokenProperties.Scope.READ) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "This token may only read; deploying, rolling "
                    + "back, promoting and cancelling need a token with scope deploy");
        }
        return holder.name();
    }

    /**
     * For a read: status, history, a deployment, the event stream. Which apps the reader may read, and with what, is
     * the {@link Reader}'s to say.
     *
     * @throws ResponseStatusException {@code 401} without a valid token, unless reads are public and none is sent
     */
    public Reader reader(@Nullable String authorization) {
        if (publicReads && authorization == null) {
            return Reader.anonymous();
        }
        Holder holder = authenticate(authorization);
        return Reader.holding(holder.name(), holder.apps(), publicReads);
    }

    private Holder authenticate(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized();
        }
        byte[] given = sha256(authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
        Holder match = null;
        for (Holder holder : holders) {
            if (MessageDigest.isEqual(holder.digest(), given) && match == null) {
                match = holder;
            }
        }
        if (match == null) {
            throw unauthorized();
        }
        return match;
    }

    private static ResponseStatusException unauthorized() {
        return new ResponseStatusException(HttpStatus.UNAUTHORIZED,
                "This request needs a valid token: Authorization: Bearer <token>");
    }

    private static Holder holder(Map.Entry<String, TokenProperties.Token> entry, AppCatalog catalog) {
        String key = "bluegreen.gateway.tokens." + entry.getKey();
        TokenProperties.Token token = entry.getValue();
        byte[] secret = Secrets.read(token.secret(), token.secretFile(), key + ".secret")
                .orElseThrow(() -> new BadSetting(key + ".secret", key + ".secret or " + key + ".secret-file must be "
                        + "set", "Give the token's secret from the environment (" + key + ".secret) or from a file ("
                        + key + ".secret-file), or remove the token's other settings."));
        if (token.apps().isEmpty()) {
            throw new BadSetting(key + ".apps", key + ".apps must name the apps the token is for, or \"*\"",
                    "Set " + key + ".apps to the apps of the apps file the token may act on, or to \"*\" for all.");
        }
        token.apps().stream().filter(app -> !app.equals("*") && catalog.find(app).isEmpty()).findFirst()
                .ifPresent(app -> {
                    throw new BadSetting(key + ".apps", key + ".apps names '" + app + "', which is not a "
                            + "configured app", "Add '" + app + "' to the apps file (bluegreen.apps." + app + "), or "
                            + "remove it from " + key + ".apps. The apps file configures " + catalog.names() + ".");
                });
        return new Holder(entry.getKey(), sha256(secret), token.apps(), token.scope());
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Holder(String name, byte[] digest, List<String> apps, TokenProperties.Scope scope) {

        boolean isFor(String app) {
            return apps.contains("*") || apps.contains(app);
        }
    }
}
