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
import dev.bluegreen.gateway.Secrets;

/**
 * Checks the {@code Authorization: Bearer ...} of a CI API request against the configured tokens. Tokens are compared
 * as SHA-256 digests with {@link MessageDigest#isEqual}, every configured token each time, so neither the time taken
 * nor an early exit tells a caller how close a guess was.
 */
@Component
public class ApiTokens {

    private static final String BEARER = "Bearer ";

    private final List<Holder> holders;
    private final AppCatalog catalog;

    ApiTokens(TokenProperties properties, AppCatalog catalog) {
        this.catalog = catalog;
        this.holders = properties.tokens().entrySet().stream().map(entry -> holder(entry, catalog)).toList();
    }

    /**
     * @return the token's name, as who asked
     * @throws ResponseStatusException {@code 401} without a valid token, {@code 403} when the token is not for
     *     {@code app}
     * @throws dev.bluegreen.apps.UnknownAppException for a valid token but an unknown app
     */
    public String authorize(@Nullable String authorization, String app) {
        Holder holder = authenticate(authorization);
        catalog.require(app);
        if (!holder.apps().contains("*") && !holder.apps().contains(app)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "This token may not act on '" + app + "'");
        }
        return holder.name();
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
                .orElseThrow(() -> new IllegalStateException(key + ".secret or " + key + ".secret-file must be set"));
        if (token.apps().isEmpty()) {
            throw new IllegalStateException(key + ".apps must name the apps the token is for, or \"*\"");
        }
        token.apps().stream().filter(app -> !app.equals("*") && catalog.find(app).isEmpty()).findFirst()
                .ifPresent(app -> {
                    throw new IllegalStateException(key + ".apps names '" + app + "', which is not a configured app");
                });
        return new Holder(entry.getKey(), sha256(secret), token.apps());
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Holder(String name, byte[] digest, List<String> apps) {
    }
}
