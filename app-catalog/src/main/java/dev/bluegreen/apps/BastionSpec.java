package dev.bluegreen.apps;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A jump host the deploy-agent goes through to reach droplets that expose SSH only on a private network.
 *
 * @param ssh the bastion's SSH address, {@code host:port}
 * @param user the SSH user on the bastion; null for the deploy-agent's default user
 * @param hostKey the bastion's pinned host key fingerprint ({@code SHA256:...}); null to rely on known_hosts
 */
public record BastionSpec(
        @NotBlank @Pattern(regexp = SshAddress.PATTERN, message = "must be host:port") String ssh,
        @Nullable String user,
        @Nullable @Pattern(regexp = "SHA256:[A-Za-z0-9+/]{43}=?", message = "must be an OpenSSH SHA256 fingerprint")
        String hostKey) {

    public String sshHost() {
        return SshAddress.host(ssh);
    }

    public int sshPort() {
        return SshAddress.port(ssh);
    }
}
