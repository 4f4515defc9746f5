package dev.bluegreen.ssh;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the deploy-agent logs in to droplets ({@code bluegreen.ssh.*}).
 *
 * @param user the user the deploy steps run as, unless a droplet names its own
 * @param privateKey the file holding the deploy key (OpenSSH or PEM format); or give the key itself as
 *     {@code privateKeyContent}
 * @param privateKeyContent the deploy key itself, for an environment variable
 *     ({@code BLUEGREEN_SSH_PRIVATEKEYCONTENT}); a secret, never logged
 * @param privateKeyPassphrase the key's passphrase, when it has one; a secret, never logged
 * @param knownHosts the known_hosts file every droplet's host key is checked against, unless the apps file pins
 *     the droplet's fingerprint
 * @param connectTimeout how long to wait for a droplet to answer and let the agent log in
 * @param keepAlive how often an idle connection is checked while a long step runs; 0 turns it off
 */
@ConfigurationProperties("bluegreen.ssh")
@Validated
public record SshSettings(
        @DefaultValue("root") @NotBlank String user,
        @Nullable Path privateKey,
        @Nullable String privateKeyContent,
        @Nullable String privateKeyPassphrase,
        @NotNull(message = "set it to the path of the known_hosts file that lists every droplet's host key")
        Path knownHosts,
        @DefaultValue("10s") @NotNull Duration connectTimeout,
        @DefaultValue("15s") @NotNull Duration keepAlive) {

    /** The user to log in as on a host that names {@code own} user: that one, or else {@link #user()}. */
    public String userOf(@Nullable String own) {
        return own == null || own.isBlank() ? user : own;
    }

    @Override
    public String toString() {
        // the key and its passphrase are secrets: a record's generated toString would print them
        return "SshSettings[user=" + user + ", privateKey=" + privateKey + ", privateKeyContent="
                + (privateKeyContent == null ? "none" : "(hidden)") + ", privateKeyPassphrase="
                + (privateKeyPassphrase == null ? "none" : "(hidden)") + ", knownHosts=" + knownHosts
                + ", connectTimeout=" + connectTimeout + ", keepAlive=" + keepAlive + "]";
    }
}
