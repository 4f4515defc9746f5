package dev.bluegreen.apps;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import org.jspecify.annotations.Nullable;

/**
 * One droplet.
 *
 * @param id its DigitalOcean id, as the load balancer knows it
 * @param ssh where the deploy-agent reaches its SSH server, {@code host:port}
 * @param http where the health-monitor reaches the app directly, bypassing the load balancer, such as
 *     {@code http://10.0.0.5:80}
 * @param user the SSH user on this droplet; null for the deploy-agent's default user
 * @param hostKey the droplet's SSH host key fingerprint as OpenSSH prints it ({@code SHA256:...}), pinned here
 *     instead of (or as well as) a known_hosts entry; null to rely on known_hosts alone
 */
public record DropletSpec(
        @Positive long id,
        @NotBlank @Pattern(regexp = SshAddress.PATTERN, message = "must be host:port") String ssh,
        @NotBlank @Pattern(regexp = "https?://\\S+", message = "must be an http:// or https:// URL") String http,
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
