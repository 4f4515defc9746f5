package dev.bluegreen.agent.ssh;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** Builds {@link SshConnector}s for tests in other packages, where its settings are out of reach. */
public final class TestConnectors {

    private TestConnectors() {
    }

    public static SshConnector connector(String user, Path privateKey, @Nullable String passphrase, Path knownHosts,
            Duration connectTimeout) {
        return new SshConnector(new SshSettings(user, privateKey, passphrase, knownHosts, connectTimeout));
    }
}
