package dev.bluegreen.gateway.access;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may ask and who may read: the API's bearer tokens ({@code bluegreen.gateway.tokens.<name>.*}) and whether
 * reads need one ({@code bluegreen.gateway.read-access}). A token's name is recorded as the actor of every request it
 * makes; the request's {@code requestedBy} is kept beside it as a note. Each token is given as {@code secret} (from
 * the environment) or {@code secret-file}.
 *
 * @param tokens the API's bearer tokens by name; the name is recorded as the actor of each request the token makes
 * @param readAccess {@code token} (the default): status, history, deployments and the event stream need a token for
 *     the app; {@code public}: anyone may read them, without step output or probe bodies unless a token for the app
 *     is sent
 */
@ConfigurationProperties("bluegreen.gateway")
record TokenProperties(@DefaultValue Map<String, Token> tokens, @DefaultValue("token") ReadAccess readAccess) {

    /**
     * @param secret the token itself; a secret, from the environment
     * @param secretFile a file that holds the token, instead of {@code secret}
     * @param apps the apps the token is for; {@code "*"} for every app
     * @param scope {@code deploy} (the default): it may deploy, roll back, promote, cancel and read its apps;
     *     {@code read}: it may only read them (status, history, deployments with their step output, the event stream)
     */
    record Token(@Nullable String secret, @Nullable Path secretFile, @DefaultValue List<String> apps,
            @DefaultValue("deploy") Scope scope) {

        @Override
        public String toString() {
            return "Token[apps=" + apps + ", scope=" + scope + "]";
        }
    }

    enum Scope {
        DEPLOY, READ
    }

    enum ReadAccess {
        TOKEN, PUBLIC
    }
}
