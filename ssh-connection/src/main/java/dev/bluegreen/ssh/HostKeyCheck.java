package dev.bluegreen.ssh;

import java.io.File;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a host's key is the one expected. A fingerprint pinned in the apps file decides alone: a key that
 * does not match it is refused even when known_hosts lists that key. Without one, the known_hosts file decides. sshj
 * accepts a key when any of its verifiers does, so this is the one verifier a client gets.
 */
final class HostKeyCheck implements HostKeyVerifier {

    private final OpenSSHKnownHosts knownHosts;

    private final @Nullable String pinned;

    private volatile @Nullable String refusedFingerprint;

    HostKeyCheck(File knownHostsFile, @Nullable String pinned) throws IOException {
        this.knownHosts = new OpenSSHKnownHosts(knownHostsFile);
        this.pinned = pinned == null ? null : pinned.replaceAll("=+$", "");
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        if (pinned != null) {
            String fingerprint = fingerprint(key);
            if (!fingerprint.equals(pinned)) {
                refusedFingerprint = fingerprint;
                return false;
            }
            return true;
        }
        return knownHosts.verify(hostname, port, key);
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return pinned != null ? List.of() : knownHosts.findExistingAlgorithms(hostname, port);
    }

    boolean isPinned() {
        return pinned != null;
    }

    /** The fingerprint of the key that did not match the pinned one, when that happened. */
    @Nullable String refusedFingerprint() {
        return refusedFingerprint;
    }

    /** The key's fingerprint as OpenSSH prints it: {@code SHA256:} and unpadded base64. */
    static String fingerprint(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }
}
