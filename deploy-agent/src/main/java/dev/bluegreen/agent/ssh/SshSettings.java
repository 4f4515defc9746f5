package dev.bluegreen.agent.ssh;

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
 * @param user the user the deploy steps run as
 * @param privateKey the file holding the deploy key (OpenSSH or PEM format)
 * @param privateKeyPassphrase the key's passphrase, when it has one; a secret, never logged
 * @param knownHosts the known_hosts file every droplet's host key is checked against
 * @param connectTimeout how long to wait for a droplet to answer and let the agent log in
 */
@ConfigurationProperties("bluegreen.ssh")
@Validated
record SshSettings(
        @DefaultValue("root") @NotBlank String user,
        @NotNull(message = "set it to the path of the deploy key's private key file") Path privateKey,
        @Nullable String privateKeyPassphrase,
        @NotNull(message = "set it to the path of the known_hosts file that lists every droplet's host key")
        Path knownHosts,
        @DefaultValue("10s") @NotNull Duration connectTimeout) {

    @Override
    public String toString() {
        // the passphrase is a secret: a record's generated toString would print it
        return "SshSettings[user=" + user + ", privateKey=" + privateKey + ", privateKeyPassphrase="
                + (privateKeyPassphrase == null ? "none" : "(hidden)") + ", knownHosts=" + knownHosts
                + ", connectTimeout=" + connectTimeout + "]";
    }
}
