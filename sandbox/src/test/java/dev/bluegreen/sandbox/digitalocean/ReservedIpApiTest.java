package dev.bluegreen.sandbox.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class ReservedIpApiTest {

    private static final String TOKEN = "dop_v1_reserved-ips";
    private static final String IP = "192.0.2.10";
    private static final Duration ACTION_TAKES = Duration.ofSeconds(2);

    private final TestClock clock = new TestClock();
    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator(
            SimulatorSettings.DEFAULTS.withReservedIpActionDelay(ACTION_TAKES), clock);
    private final DigitalOceanApiServer api = DigitalOceanApiServer.start(simulator, TOKEN, 0);
    private final long blue = simulator.addDroplet("blue-1", URI.create("http://127.0.0.1:9"), List.of());
    private final long green = simulator.addDroplet("green-1", URI.create("http://127.0.0.1:9"), List.of());

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void showsTheReservedIpWithTheDropletItPointsAt() {
        simulator.addReservedIp(IP, blue);

        JsonNode ip = get("/v2/reserved_ips/" + IP).json().get("reserved_ip");

        assertThat(ip.get("ip").asString()).isEqualTo(IP);
        assertThat(ip.get("droplet").get("id").asLong()).isEqualTo(blue);
        assertThat(ip.get("locked").asBoolean()).isFalse();
        assertThat(ip.get("region").get("slug").asString()).isEqualTo("nyc3");
        assertThat(get("/v2/reserved_ips/192.0.2.99").status()).isEqualTo(404);
    }

    @Test
    void anAssignActionIsInProgressUntilItsDelayHasPassedAndOnlyThenMovesTheIp() {
        simulator.addReservedIp(IP, blue);

        ApiCall started = assign(green);
        assertThat(started.status()).isEqualTo(201);
        JsonNode action = started.json().get("action");
        assertThat(action.get("status").asString()).isEqualTo("in-progress");
        assertThat(action.get("type").asString()).isEqualTo("assign_ip");
        assertThat(action.get("resource_type").asString()).isEqualTo("reserved_ip");
        assertThat(action.get("completed_at").isNull()).isTrue();
        long actionId = action.get("id").asLong();
        JsonNode during = get("/v2/reserved_ips/" + IP).json().get("reserved_ip");
        assertThat(during.get("droplet").get("id").asLong()).as("still the old droplet").isEqualTo(blue);
        assertThat(during.get("locked").asBoolean()).isTrue();
        assertThat(get("/v2/actions/" + actionId).json().get("action").get("status").asString())
                .isEqualTo("in-progress");

        clock.advance(ACTION_TAKES);

        JsonNode done = get("/v2/actions/" + actionId).json().get("action");
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("completed_at").asString()).isNotBlank();
        assertThat(get("/v2/reserved_ips/" + IP + "/actions/" + actionId).json().get("action").get("id").asLong())
                .isEqualTo(actionId);
        JsonNode after = get("/v2/reserved_ips/" + IP).json().get("reserved_ip");
        assertThat(after.get("droplet").get("id").asLong()).isEqualTo(green);
        assertThat(after.get("locked").asBoolean()).isFalse();
        assertThat(simulator.reservedIp(IP).orElseThrow().dropletId()).isEqualTo(green);
    }

    @Test
    void aSecondActionWhileOneIsPendingIsRefusedWith422() {
        simulator.addReservedIp(IP, blue);
        assign(green);

        ApiCall refused = call("POST", "/v2/reserved_ips/" + IP + "/actions", "{\"type\":\"unassign\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("id").asString()).isEqualTo("unprocessable_entity");
        assertThat(refused.json().get("message").asString()).contains("already has a pending event");
        clock.advance(ACTION_TAKES);
        assertThat(call("POST", "/v2/reserved_ips/" + IP + "/actions", "{\"type\":\"unassign\"}").status())
                .isEqualTo(201);
    }

    @Test
    void unassigningLeavesTheIpPointingAtNoDroplet() {
        simulator.addReservedIp(IP, blue);

        call("POST", "/v2/reserved_ips/" + IP + "/actions", "{\"type\":\"unassign\"}");
        clock.advance(ACTION_TAKES);

        assertThat(get("/v2/reserved_ips/" + IP).json().get("reserved_ip").get("droplet").isNull()).isTrue();
        assertThat(call("POST", "/v2/reserved_ips/" + IP + "/actions", "{\"type\":\"unassign\"}").status())
                .as("nothing left to unassign").isEqualTo(422);
    }

    @Test
    void refusesAnUnknownDropletAnUnknownTypeAndAnUnknownIp() {
        simulator.addReservedIp(IP, blue);

        assertThat(call("POST", "/v2/reserved_ips/" + IP + "/actions",
                "{\"type\":\"assign\",\"droplet_id\":" + (green + 100) + "}").status()).isEqualTo(422);
        assertThat(call("POST", "/v2/reserved_ips/" + IP + "/actions", "{\"type\":\"assign\"}").status())
                .isEqualTo(422);
        assertThat(call("POST", "/v2/reserved_ips/" + IP + "/actions", "{\"type\":\"teleport\"}").status())
                .isEqualTo(422);
        assertThat(call("POST", "/v2/reserved_ips/192.0.2.99/actions", "{\"type\":\"unassign\"}").status())
                .isEqualTo(404);
        assertThat(get("/v2/actions/999").status()).isEqualTo(404);
        assertThat(simulator.reservedIp(IP).orElseThrow().dropletId()).isEqualTo(blue);
    }

    private ApiCall assign(long droplet) {
        return call("POST", "/v2/reserved_ips/" + IP + "/actions",
                "{\"type\":\"assign\",\"droplet_id\":" + droplet + "}");
    }

    private ApiCall get(String path) {
        return get(path, Map.of());
    }

    private ApiCall get(String path, Map<String, String> query) {
        return ApiCall.send(api.baseUrl(), TOKEN, "GET", path, query, null);
    }

    private ApiCall call(String method, String path, String body) {
        return ApiCall.send(api.baseUrl(), TOKEN, method, path, Map.of(), body);
    }
}
