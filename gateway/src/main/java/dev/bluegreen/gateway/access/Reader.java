package dev.bluegreen.gateway.access;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Who reads status, history, deployments or the event stream, and what they may see: a token's holder sees its apps
 * with their step output; with {@code read-access: public}, anyone sees every app without it.
 */
public final class Reader {

    private final @Nullable String token;
    private final List<String> apps;
    private final boolean everyApp;

    private Reader(@Nullable String token, List<String> apps, boolean everyApp) {
        this.token = token;
        this.apps = apps;
        this.everyApp = everyApp;
    }

    static Reader holding(String token, List<String> apps, boolean publicAccess) {
        return new Reader(token, List.copyOf(apps), publicAccess);
    }

    static Reader anonymous() {
        return new Reader(null, List.of(), true);
    }

    /** The token's name; empty for an anonymous reader of a public gateway. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    public boolean mayRead(String app) {
        return everyApp || inScope(app);
    }

    /** Whether step output ({@code DeploymentLog}, {@code outputTail}) and probe bodies of the app are shown. */
    public boolean seesOutput(String app) {
        return token != null && inScope(app);
    }

    /** @throws ResponseStatusException {@code 403} when this reader may not read the app */
    public void requireRead(String app) {
        if (!mayRead(app)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "This token may not read '" + app + "'");
        }
    }

    private boolean inScope(String app) {
        return apps.contains("*") || apps.contains(app);
    }
}
