package dev.bluegreen.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.sandbox.TrafficMode;
import dev.bluegreen.testing.ValidatingProxy;

/** The dry run against a sandbox: it must print the real plan, and change nothing at all. */
class DryRunTest {

    @TempDir
    Path folder;

    @Test
    void printsTheCommandsAndCallsOfADeployAndSwitchAndChangesNothing() {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withAppName("planned")
                .withWorkFolder(folder.resolve("sandbox"))); ValidatingProxy api = new ValidatingProxy(sandbox.apiUrl())) {
            List<Long> attachedBefore = sandbox.simulator().dropletIdsOf(sandbox.loadBalancerId());
            List<String> blueBefore = sandbox.versionsServed(Colour.BLUE);
            List<String> greenBefore = sandbox.versionsServed(Colour.GREEN);

            PreflightRun run = PreflightRun.of(settings(sandbox, api), "dry-run", "planned", "v2");

            assertThat(run.exitCode()).as(run.output()).isZero();
            String lb = sandbox.loadBalancerId();
            assertThat(run.output())
                    .contains("blue is live, green is idle")
                    .contains("git fetch --quiet --force --tags origin 'v2'")
                    .contains("POST /v2/load_balancers/" + lb + "/droplets {\"droplet_ids\": ["
                            + joined(sandbox.dropletIds(Colour.GREEN)) + "]}")
                    .contains("DELETE /v2/load_balancers/" + lb + "/droplets {\"droplet_ids\": ["
                            + joined(sandbox.dropletIds(Colour.BLUE)) + "]}")
                    .contains("Wait the drain period (1 s)");
            for (long green : sandbox.dropletIds(Colour.GREEN)) {
                assertThat(run.output()).contains("  droplet " + green + ": deploy@");
            }
            assertThat(api.calls()).isNotEmpty().allSatisfy(call -> {
                assertThat(call.method()).isEqualTo("GET");
                assertThat(call.problems()).isEmpty();
            });
            assertThat(sandbox.simulator().dropletIdsOf(lb)).isEqualTo(attachedBefore);
            assertThat(sandbox.versionsServed(Colour.BLUE)).isEqualTo(blueBefore);
            assertThat(sandbox.versionsServed(Colour.GREEN)).isEqualTo(greenBefore);
        }
    }

    @Test
    void plansTheReservedIpMoveForAnAppRoutedByReservedIp() {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withAppName("reserved")
                .withTrafficMode(TrafficMode.RESERVED_IP).withWorkFolder(folder.resolve("sandbox")));
                ValidatingProxy api = new ValidatingProxy(sandbox.apiUrl())) {

            PreflightRun run = PreflightRun.of(settings(sandbox, api), "dry-run", "reserved", "v2");

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output())
                    .contains("Reserved IP " + SandboxSettings.RESERVED_IP + " points at droplet "
                            + sandbox.dropletIds(Colour.BLUE).get(0) + " (blue)")
                    .contains("POST /v2/reserved_ips/" + SandboxSettings.RESERVED_IP + "/actions {\"type\": "
                            + "\"assign\", \"droplet_id\": " + sandbox.dropletIds(Colour.GREEN).get(0) + "}");
            assertThat(api.calls()).extracting(ValidatingProxy.Checked::method).containsOnly("GET");
            assertThat(sandbox.simulator().reservedIp(SandboxSettings.RESERVED_IP).orElseThrow().droplet())
                    .contains(sandbox.dropletIds(Colour.BLUE).get(0));
        }
    }

    @Test
    void namesTheConfiguredAppsWhenAskedForAnotherOne() {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withAppName("known")
                .withWorkFolder(folder.resolve("sandbox")))) {

            PreflightRun run = PreflightRun.of(List.of("--bluegreen.config="
                    + sandbox.writeAppsFile(folder.resolve("bluegreen.yml"))), "dry-run", "unknown", "v2");

            assertThat(run.exitCode()).isEqualTo(Preflight.USAGE);
            assertThat(run.output()).contains("No app named 'unknown' is configured").contains("it has known.");
        }
    }

    private List<String> settings(Sandbox sandbox, ValidatingProxy api) {
        return List.of("--bluegreen.config=" + sandbox.writeAppsFile(folder.resolve("bluegreen.yml")),
                "--bluegreen.digitalocean.api-url=" + api.url(), "--bluegreen.digitalocean.token=" + sandbox.apiToken());
    }

    private static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
