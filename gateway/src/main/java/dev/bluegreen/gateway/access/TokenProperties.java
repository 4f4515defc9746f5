package dev.bluegreen.gateway.access;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bearer tokens of the CI API ({@code bluegreen.gateway.tokens.<name>.*}). The name is who asks, unless the
 * request names someone. Each token is given as {@code secret} (from the environment) or {@code secret-file}.
 */
@ConfigurationProperties("bluegreen.gateway")
record TokenProperties(@DefaultValue Map<String, Token> tokens) {

    /**
     * @param apps the apps the token may deploy, roll back and promote; {@code "*"} for every app
     */
    record Token(@Nullable String secret, @Nullable Path secretFile, @DefaultValue List<String> apps) {

        @Override
        public String toString() {
            return "Token[apps=" + apps + "]";
        }
    }
}
