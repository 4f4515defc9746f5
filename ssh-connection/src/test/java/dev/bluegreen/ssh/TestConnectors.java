package dev.bluegreen.ssh;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** Builds {@link SshConnector}s for the tests: the usual settings by position, or every setting by name. */
public final class TestConnectors {

    private TestConnectors() {
    }

    public static SshConnector connector(String user, Path privateKey, @Nullable String passphrase, Path knownHosts,
            Duration connectTimeout) {
        return new SshConnector(new SshSettings(user, privateKey, null, passphrase, knownHosts, connectTimeout,
                Duration.ofSeconds(15)));
    }

    public static SshConnector connector(SshSettingsBuilder settings) {
        return new SshConnector(settings.build());
    }

    /** Every setting, for tests that need more than the usual ones. */
    public record SshSettingsBuilder(String user, @Nullable Path privateKey, @Nullable String privateKeyContent,
            @Nullable String passphrase, Path knownHosts, Duration connectTimeout, Duration keepAlive) {

        SshSettings build() {
            return new SshSettings(user, privateKey, privateKeyContent, passphrase, knownHosts, connectTimeout,
                    keepAlive);
        }
    }
}
