package dev.bluegreen.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.BadSetting;

/**
 * A secret setting is given either as a value (from an environment variable) or as a file holding it (a mounted
 * secret). Error messages name the setting, never the secret or the file's content.
 */
public final class Secrets {

    private Secrets() {
    }

    /**
     * @param key the setting's name without {@code -file}, for error messages, such as
     *     {@code bluegreen.gateway.tokens.ci.secret}
     * @return the secret's bytes, trailing line end removed; empty when neither is given
     * @throws BadSetting when both are given, the file cannot be read, or the secret is blank
     */
    public static Optional<byte[]> read(@Nullable String value, @Nullable Path file, String key) {
        if (value != null && file != null) {
            throw new BadSetting(key, key + " and " + key + "-file are both set; set one of them",
                    "Remove " + key + " (the value) or " + key + "-file (the file holding it).");
        }
        String secret = value;
        if (file != null) {
            try {
                secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new BadSetting(key + "-file", key + "-file cannot be read: " + e.getClass().getSimpleName(),
                        "Point " + key + "-file at a file the gateway can read, or give the secret as " + key
                                + " instead.");
            }
        }
        if (secret == null) {
            return Optional.empty();
        }
        if (secret.isBlank()) {
            throw new BadSetting(key, key + " is blank", "Give " + key + " a value, or remove it.");
        }
        return Optional.of(secret.getBytes(StandardCharsets.UTF_8));
    }
}
