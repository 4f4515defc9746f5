package dev.bluegreen.lifecycle;

import static dev.bluegreen.lifecycle.History.APP;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.PipelineEvent;

/**
 * Every state an app can be in against every event, with the verdict and where the app stands after it. The
 * starting states are reached by folding real histories; each event of the current deployment or rollback carries
 * its id, and each new request a fresh one.
 */
class TransitionTableTest {

    /** The states, each as the history that leads to it. Blue served first; d1 made green live. */
    static final Map<String, Supplier<History>> STATES = new LinkedHashMap<>();

    static {
        STATES.put("never-deployed", History::new);
        STATES.put("idle", () -> new History().deployedLive("d1", "v1"));
        STATES.put("provisioning", () -> new History().deployedLive("d1", "v1").then("d2", History.deploy("v2")));
        STATES.put("started", () -> STATES.get("provisioning").get().then("d2", History.started(Colour.BLUE)));
        STATES.put("checking", () -> STATES.get("started").get()
                .then("d2", History.provisioned(Colour.BLUE, "v2")));
        STATES.put("switching", () -> STATES.get("checking").get().then("d2", History.healthy(Colour.BLUE, "v2")));
        STATES.put("awaiting", () -> STATES.get("switching").get()
                .then("d2", History.awaiting(Colour.GREEN, Colour.BLUE)));
        STATES.put("promoted", () -> STATES.get("awaiting").get().then("d2", History.promote()));
        STATES.put("rolling-back", () -> new History().deployedLive("d1", "v1").then("r1", History.rollback()));
        STATES.put("both-serving", () -> new History().deployedLive("d1", "v1")
                .then("d2", History.deploy("v2")).then("d2", History.provisioned(Colour.BLUE, "v2"))
                .then("d2", History.healthy(Colour.BLUE, "v2")).then("d2", History.bothServing(Colour.GREEN))
                .then("d2", History.switchFailed(Colour.GREEN, Colour.BLUE)));
    }

    /** The events: the id they carry is the current operation's ("cur"), or a fresh one ("new"). */
    static final Map<String, Function<AppState, Sent>> EVENTS = new LinkedHashMap<>();

    record Sent(String id, PipelineEvent event) {
    }

    static {
        EVENTS.put("DeployRequested", state -> new Sent("new", History.deploy("v3")));
        EVENTS.put("RollbackRequested", state -> new Sent("new", History.rollback()));
        EVENTS.put("RollbackRequested(reverts d1)", state -> new Sent("new", History.automaticRollback("d1")));
        EVENTS.put("PromoteRequested", state -> new Sent(current(state), History.promote()));
        EVENTS.put("CancelRequested", state -> new Sent(current(state), History.cancel()));
        EVENTS.put("DeploymentStarted", state -> new Sent(current(state), History.started(state.idle())));
        EVENTS.put("EnvironmentProvisioned", state -> new Sent(current(state), History.provisioned(state.idle(), "v2")));
        EVENTS.put("ProvisioningFailed", state -> new Sent(current(state), History.provisioningFailed(state.idle())));
        EVENTS.put("EnvironmentHealthy", state -> new Sent(current(state), History.healthy(state.idle(), "v2")));
        EVENTS.put("EnvironmentUnhealthy", state -> new Sent(current(state), History.unhealthy(state.idle())));
        EVENTS.put("AwaitingPromotion", state -> new Sent(current(state),
                History.awaiting(state.live(), state.idle())));
        EVENTS.put("TrafficSwitched", state -> new Sent(current(state), History.switched(state.live(), state.idle())));
        EVENTS.put("RolledBack", state -> new Sent(current(state), History.rolledBack(state.live(), state.idle())));
        EVENTS.put("SwitchFailed", state -> new Sent(current(state), History.switchFailed(state.live(), state.idle())));
        EVENTS.put("DeploymentExpired", state -> new Sent(current(state),
                History.expired(state.phase() == null ? Phase.PROVISIONING : state.phase())));
        EVENTS.put("RequestRefused", state -> new Sent(current(state), History.refused()));
        EVENTS.put("DriftDetected", state -> new Sent(current(state), History.drift(state.live(), state.idle())));
        EVENTS.put("DriftDetected(both)", state -> new Sent(current(state), History.bothServing(state.live())));
    }

    private static String current(AppState state) {
        return state.current() == null ? "d1" : state.current().id();
    }

    /**
     * state | event | verdict | after: the phase of what is under way (or idle), the live colour, and the status
     * of the idle colour.
     */
    static final String TABLE = """
            never-deployed | DeployRequested | ACCEPTED | provisioning green, live blue, green touched
            never-deployed | RollbackRequested | REFUSED | idle, live blue, green touched
            never-deployed | RollbackRequested(reverts d1) | REFUSED | idle, live blue, green touched
            never-deployed | PromoteRequested | REFUSED | idle, live blue, green touched
            never-deployed | CancelRequested | REFUSED | idle, live blue, green touched
            never-deployed | DeploymentStarted | IGNORED | idle, live blue, green touched
            never-deployed | EnvironmentProvisioned | IGNORED | idle, live blue, green touched
            never-deployed | ProvisioningFailed | IGNORED | idle, live blue, green touched
            never-deployed | EnvironmentHealthy | IGNORED | idle, live blue, green touched
            never-deployed | EnvironmentUnhealthy | IGNORED | idle, live blue, green touched
            never-deployed | AwaitingPromotion | IGNORED | idle, live blue, green touched
            never-deployed | TrafficSwitched | IGNORED | idle, live blue, green touched
            never-deployed | RolledBack | IGNORED | idle, live blue, green touched
            never-deployed | SwitchFailed | IGNORED | idle, live blue, green touched
            never-deployed | DeploymentExpired | IGNORED | idle, live blue, green touched
            never-deployed | RequestRefused | IGNORED | idle, live blue, green touched
            never-deployed | DriftDetected | APPLIED | idle, live green, blue touched
            never-deployed | DriftDetected(both) | APPLIED | idle, live blue, green live
            idle | DeployRequested | ACCEPTED | provisioning blue, live green, blue touched
            idle | RollbackRequested | ACCEPTED | switching blue (rollback), live green, blue warm
            idle | RollbackRequested(reverts d1) | ACCEPTED | switching blue (rollback), live green, blue warm
            idle | PromoteRequested | IGNORED | idle, live green, blue warm
            idle | CancelRequested | REFUSED | idle, live green, blue warm
            idle | DeploymentStarted | IGNORED | idle, live green, blue warm
            idle | EnvironmentProvisioned | IGNORED | idle, live green, blue warm
            idle | ProvisioningFailed | IGNORED | idle, live green, blue warm
            idle | EnvironmentHealthy | IGNORED | idle, live green, blue warm
            idle | EnvironmentUnhealthy | IGNORED | idle, live green, blue warm
            idle | AwaitingPromotion | IGNORED | idle, live green, blue warm
            idle | TrafficSwitched | IGNORED | idle, live green, blue warm
            idle | RolledBack | IGNORED | idle, live green, blue warm
            idle | SwitchFailed | IGNORED | idle, live green, blue warm
            idle | DeploymentExpired | IGNORED | idle, live green, blue warm
            idle | RequestRefused | IGNORED | idle, live green, blue warm
            idle | DriftDetected | APPLIED | idle, live blue, green touched
            idle | DriftDetected(both) | APPLIED | idle, live green, blue live
            provisioning | DeployRequested | REFUSED | provisioning blue, live green, blue touched
            provisioning | RollbackRequested | REFUSED | provisioning blue, live green, blue touched
            provisioning | RollbackRequested(reverts d1) | REFUSED | provisioning blue, live green, blue touched
            provisioning | PromoteRequested | REFUSED | provisioning blue, live green, blue touched
            provisioning | CancelRequested | ACCEPTED | idle, live green, blue touched
            provisioning | DeploymentStarted | APPLIED | provisioning blue, live green, blue touched
            provisioning | EnvironmentProvisioned | APPLIED | checking blue, live green, blue touched
            provisioning | ProvisioningFailed | APPLIED | idle, live green, blue touched
            provisioning | EnvironmentHealthy | IGNORED | provisioning blue, live green, blue touched
            provisioning | EnvironmentUnhealthy | IGNORED | provisioning blue, live green, blue touched
            provisioning | AwaitingPromotion | IGNORED | provisioning blue, live green, blue touched
            provisioning | TrafficSwitched | IGNORED | provisioning blue, live green, blue touched
            provisioning | RolledBack | IGNORED | provisioning blue, live green, blue touched
            provisioning | SwitchFailed | IGNORED | provisioning blue, live green, blue touched
            provisioning | DeploymentExpired | APPLIED | idle, live green, blue touched
            provisioning | RequestRefused | IGNORED | provisioning blue, live green, blue touched
            provisioning | DriftDetected | APPLIED | idle, live blue, green touched
            provisioning | DriftDetected(both) | APPLIED | idle, live green, blue live
            started | DeployRequested | REFUSED | provisioning blue, live green, blue touched
            started | RollbackRequested | REFUSED | provisioning blue, live green, blue touched
            started | RollbackRequested(reverts d1) | REFUSED | provisioning blue, live green, blue touched
            started | PromoteRequested | REFUSED | provisioning blue, live green, blue touched
            started | CancelRequested | ACCEPTED | idle, live green, blue touched
            started | DeploymentStarted | IGNORED | provisioning blue, live green, blue touched
            started | EnvironmentProvisioned | APPLIED | checking blue, live green, blue touched
            started | ProvisioningFailed | APPLIED | idle, live green, blue touched
            started | EnvironmentHealthy | IGNORED | provisioning blue, live green, blue touched
            started | EnvironmentUnhealthy | IGNORED | provisioning blue, live green, blue touched
            started | AwaitingPromotion | IGNORED | provisioning blue, live green, blue touched
            started | TrafficSwitched | IGNORED | provisioning blue, live green, blue touched
            started | RolledBack | IGNORED | provisioning blue, live green, blue touched
            started | SwitchFailed | IGNORED | provisioning blue, live green, blue touched
            started | DeploymentExpired | APPLIED | idle, live green, blue touched
            started | RequestRefused | IGNORED | provisioning blue, live green, blue touched
            started | DriftDetected | APPLIED | idle, live blue, green touched
            started | DriftDetected(both) | APPLIED | idle, live green, blue live
            checking | DeployRequested | REFUSED | checking blue, live green, blue touched
            checking | RollbackRequested | REFUSED | checking blue, live green, blue touched
            checking | RollbackRequested(reverts d1) | REFUSED | checking blue, live green, blue touched
            checking | PromoteRequested | REFUSED | checking blue, live green, blue touched
            checking | CancelRequested | ACCEPTED | idle, live green, blue touched
            checking | DeploymentStarted | IGNORED | checking blue, live green, blue touched
            checking | EnvironmentProvisioned | IGNORED | checking blue, live green, blue touched
            checking | ProvisioningFailed | IGNORED | checking blue, live green, blue touched
            checking | EnvironmentHealthy | APPLIED | switching blue, live green, blue touched
            checking | EnvironmentUnhealthy | APPLIED | idle, live green, blue touched
            checking | AwaitingPromotion | IGNORED | checking blue, live green, blue touched
            checking | TrafficSwitched | IGNORED | checking blue, live green, blue touched
            checking | RolledBack | IGNORED | checking blue, live green, blue touched
            checking | SwitchFailed | IGNORED | checking blue, live green, blue touched
            checking | DeploymentExpired | APPLIED | idle, live green, blue touched
            checking | RequestRefused | IGNORED | checking blue, live green, blue touched
            checking | DriftDetected | APPLIED | idle, live blue, green touched
            checking | DriftDetected(both) | APPLIED | idle, live green, blue live
            switching | DeployRequested | REFUSED | switching blue, live green, blue touched
            switching | RollbackRequested | REFUSED | switching blue, live green, blue touched
            switching | RollbackRequested(reverts d1) | REFUSED | switching blue, live green, blue touched
            switching | PromoteRequested | REFUSED | switching blue, live green, blue touched
            switching | CancelRequested | REFUSED | switching blue, live green, blue touched
            switching | DeploymentStarted | IGNORED | switching blue, live green, blue touched
            switching | EnvironmentProvisioned | IGNORED | switching blue, live green, blue touched
            switching | ProvisioningFailed | IGNORED | switching blue, live green, blue touched
            switching | EnvironmentHealthy | IGNORED | switching blue, live green, blue touched
            switching | EnvironmentUnhealthy | IGNORED | switching blue, live green, blue touched
            switching | AwaitingPromotion | APPLIED | awaiting-approval blue, live green, blue touched
            switching | TrafficSwitched | APPLIED | idle, live blue, green warm
            switching | RolledBack | IGNORED | switching blue, live green, blue touched
            switching | SwitchFailed | APPLIED | idle, live green, blue touched
            switching | DeploymentExpired | IGNORED | switching blue, live green, blue touched
            switching | RequestRefused | IGNORED | switching blue, live green, blue touched
            switching | DriftDetected | APPLIED | switching blue, live blue, green touched
            switching | DriftDetected(both) | APPLIED | switching blue, live green, blue live
            awaiting | DeployRequested | REFUSED | awaiting-approval blue, live green, blue touched
            awaiting | RollbackRequested | REFUSED | awaiting-approval blue, live green, blue touched
            awaiting | RollbackRequested(reverts d1) | REFUSED | awaiting-approval blue, live green, blue touched
            awaiting | PromoteRequested | ACCEPTED | switching blue, live green, blue touched
            awaiting | CancelRequested | ACCEPTED | idle, live green, blue touched
            awaiting | DeploymentStarted | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | EnvironmentProvisioned | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | ProvisioningFailed | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | EnvironmentHealthy | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | EnvironmentUnhealthy | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | AwaitingPromotion | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | TrafficSwitched | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | RolledBack | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | SwitchFailed | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | DeploymentExpired | APPLIED | idle, live green, blue touched
            awaiting | RequestRefused | IGNORED | awaiting-approval blue, live green, blue touched
            awaiting | DriftDetected | APPLIED | idle, live blue, green touched
            awaiting | DriftDetected(both) | APPLIED | idle, live green, blue live
            promoted | DeployRequested | REFUSED | switching blue, live green, blue touched
            promoted | RollbackRequested | REFUSED | switching blue, live green, blue touched
            promoted | RollbackRequested(reverts d1) | REFUSED | switching blue, live green, blue touched
            promoted | PromoteRequested | IGNORED | switching blue, live green, blue touched
            promoted | CancelRequested | REFUSED | switching blue, live green, blue touched
            promoted | DeploymentStarted | IGNORED | switching blue, live green, blue touched
            promoted | EnvironmentProvisioned | IGNORED | switching blue, live green, blue touched
            promoted | ProvisioningFailed | IGNORED | switching blue, live green, blue touched
            promoted | EnvironmentHealthy | IGNORED | switching blue, live green, blue touched
            promoted | EnvironmentUnhealthy | IGNORED | switching blue, live green, blue touched
            promoted | AwaitingPromotion | IGNORED | switching blue, live green, blue touched
            promoted | TrafficSwitched | APPLIED | idle, live blue, green warm
            promoted | RolledBack | IGNORED | switching blue, live green, blue touched
            promoted | SwitchFailed | APPLIED | idle, live green, blue touched
            promoted | DeploymentExpired | IGNORED | switching blue, live green, blue touched
            promoted | RequestRefused | IGNORED | switching blue, live green, blue touched
            promoted | DriftDetected | APPLIED | switching blue, live blue, green touched
            promoted | DriftDetected(both) | APPLIED | switching blue, live green, blue live
            rolling-back | DeployRequested | REFUSED | switching blue (rollback), live green, blue warm
            rolling-back | RollbackRequested | REFUSED | switching blue (rollback), live green, blue warm
            rolling-back | RollbackRequested(reverts d1) | REFUSED | switching blue (rollback), live green, blue warm
            rolling-back | PromoteRequested | REFUSED | switching blue (rollback), live green, blue warm
            rolling-back | CancelRequested | REFUSED | switching blue (rollback), live green, blue warm
            rolling-back | DeploymentStarted | IGNORED | switching blue (rollback), live green, blue warm
            rolling-back | EnvironmentProvisioned | IGNORED | switching blue (rollback), live green, blue warm
            rolling-back | ProvisioningFailed | IGNORED | switching blue (rollback), live green, blue warm
            rolling-back | EnvironmentHealthy | IGNORED | switching blue (rollback), live green, blue warm
            rolling-back | EnvironmentUnhealthy | IGNORED | switching blue (rollback), live green, blue warm
            rolling-back | AwaitingPromotion | IGNORED | switching blue (rollback), live green, blue warm
            rolling-back | TrafficSwitched | IGNORED | switching blue (rollback), live green, blue warm
            rolling-back | RolledBack | APPLIED | idle, live blue, green warm
            rolling-back | SwitchFailed | APPLIED | idle, live green, blue warm
            rolling-back | DeploymentExpired | IGNORED | switching blue (rollback), live green, blue warm
            rolling-back | RequestRefused | IGNORED | switching blue (rollback), live green, blue warm
            rolling-back | DriftDetected | APPLIED | switching blue (rollback), live blue, green touched
            rolling-back | DriftDetected(both) | APPLIED | switching blue (rollback), live green, blue live
            both-serving | DeployRequested | REFUSED | idle, live green, blue live
            both-serving | RollbackRequested | REFUSED | idle, live green, blue live
            both-serving | RollbackRequested(reverts d1) | REFUSED | idle, live green, blue live
            both-serving | PromoteRequested | REFUSED | idle, live green, blue live
            both-serving | CancelRequested | REFUSED | idle, live green, blue live
            both-serving | DeploymentStarted | IGNORED | idle, live green, blue live
            both-serving | EnvironmentProvisioned | IGNORED | idle, live green, blue live
            both-serving | ProvisioningFailed | IGNORED | idle, live green, blue live
            both-serving | EnvironmentHealthy | IGNORED | idle, live green, blue live
            both-serving | EnvironmentUnhealthy | IGNORED | idle, live green, blue live
            both-serving | AwaitingPromotion | IGNORED | idle, live green, blue live
            both-serving | TrafficSwitched | IGNORED | idle, live green, blue live
            both-serving | RolledBack | IGNORED | idle, live green, blue live
            both-serving | SwitchFailed | IGNORED | idle, live green, blue live
            both-serving | DeploymentExpired | IGNORED | idle, live green, blue live
            both-serving | RequestRefused | IGNORED | idle, live green, blue live
            both-serving | DriftDetected | APPLIED | idle, live blue, green touched
            both-serving | DriftDetected(both) | IGNORED | idle, live green, blue live
            """;

    static Stream<Arguments> rows() {
        return TABLE.lines().filter(line -> !line.isBlank()).map(line -> {
            String[] cells = line.split("\\|");
            return Arguments.of(cells[0].trim(), cells[1].trim(), cells[2].trim(), cells[3].trim());
        });
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}, {3}")
    @MethodSource("rows")
    void everyStateTakesEveryEventAsTheTableSays(String stateName, String eventName, String verdict, String after) {
        History history = STATES.get(stateName).get();
        Sent sent = EVENTS.get(eventName).apply(history.state());
        Transition transition = history.apply(sent.id(), sent.event());

        assertThat(transition.decision().verdict().name()).as(transition.decision().reason()).isEqualTo(verdict);
        assertThat(describe(transition.after())).isEqualTo(after);
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyPair")
    void theTableHasARowForEveryStateAndEveryEvent(String stateName, String eventName) {
        assertThat(rows().map(Arguments::get).filter(cells -> cells[0].equals(stateName) && cells[1].equals(eventName)))
                .hasSize(1);
    }

    static Stream<Arguments> everyPair() {
        return STATES.keySet().stream().flatMap(state -> EVENTS.keySet().stream().map(event -> Arguments.of(state,
                event)));
    }

    static String describe(AppState state) {
        String phase = state.current() == null ? "idle"
                : state.current().phase() + " " + state.current().target()
                        + (state.current().kind() == Operation.Kind.ROLLBACK ? " (rollback)" : "");
        return phase + ", live " + state.live() + ", " + state.idle() + " "
                + state.colour(state.idle()).status().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Prints the table as the fold decides it today: to review by eye when the rules change, never to copy blind. */
    public static void main(String[] args) {
        everyPair().forEach(pair -> {
            String stateName = (String) pair.get()[0];
            String eventName = (String) pair.get()[1];
            History history = STATES.get(stateName).get();
            Sent sent = EVENTS.get(eventName).apply(history.state());
            Transition transition = history.apply(sent.id(), sent.event());
            System.out.println(stateName + " | " + eventName + " | " + transition.decision().verdict() + " | "
                    + describe(transition.after()) + "    # " + transition.decision().reason());
        });
    }
}
