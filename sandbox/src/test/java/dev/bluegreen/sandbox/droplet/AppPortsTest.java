package dev.bluegreen.sandbox.droplet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppPortsTest {

    private static final InetAddress HOST = InetAddress.getLoopbackAddress();

    @TempDir
    Path directory;

    @Test
    void anAppsPortLiesBelowTheRangeOutgoingConnectionsTakeTheirsFrom() throws IOException {
        int below = AppPorts.ephemeralStart(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).orElse(32_768);

        for (int i = 0; i < 20; i++) {
            int port = AppPorts.pick(HOST);

            assertThat(port).isBetween(AppPorts.LOWEST, below - 1);
            try (ServerSocket bound = new ServerSocket(port, 1, HOST)) {
                assertThat(bound.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aRangeThatLeavesNoRoomBelowItLetsTheKernelPick() throws IOException {
        int port = AppPorts.pick(HOST, AppPorts.LOWEST + 10);

        assertThat(port).as("not one of the ten ports below the range").isNotIn(IntStream.range(AppPorts.LOWEST, AppPorts.LOWEST + 10).boxed().toList());
        try (ServerSocket bound = new ServerSocket(port, 1, HOST)) {
            assertThat(bound.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void theRangeIsReadAsTheKernelWritesIt() throws IOException {
        Path range = Files.writeString(directory.resolve("ip_local_port_range"), "40000\t60999\n");

        assertThat(AppPorts.ephemeralStart(range)).hasValue(40_000);
        assertThat(AppPorts.ephemeralStart(directory.resolve("missing"))).isEmpty();
    }
}
