package dev.bluegreen.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.PipelineEvent;

/**
 * Thousands of random histories: requests from people and CI at any moment, outcomes from the services for the
 * operation under way or for stale ones, late duplicates, expiries, hand-moved balancers. Whatever the order, no
 * deploy step may run on a colour that serves or that traffic may move to, and no rollback may move traffic to a
 * colour touched since it last served.
 */
class RandomHistoriesTest {

    private static final int STEPS = 300;

    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noHistoryEverProvisionsAColourThatServesOrThatTrafficMayMoveTo(long seed) {
        Random random = new Random(seed);
        History history = new History();
        List<String> ids = new ArrayList<>(List.of("d0"));
        List<String> trace = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            AppState before = history.state();
            BiFunction<AppState, Random, PipelineEvent> kind = EVENTS.get(random.nextInt(EVENTS.size()));
            PipelineEvent event = kind.apply(before, random);
            String id = pickId(random, before, event, ids);
            Transition transition = history.apply(id, event);
            trace.add(event.getClass().getSimpleName() + "(" + id + ") -> " + transition.decision().verdict());
            AppState after = transition.after();
            String where = "after " + String.join(", ", trace.subList(Math.max(0, trace.size() - 8), trace.size()));

            Colour provisioning = after.provisioningColour();
            if (provisioning != null) {
                assertThat(provisioning).as("deploying to the live colour " + where).isNotEqualTo(after.live());
                assertThat(after.colour(provisioning).status()).as(where).isEqualTo(ColourStatus.TOUCHED);
            }
            if (transition.entered(Phase.SWITCHING) && after.current().kind() == Operation.Kind.ROLLBACK) {
                assertThat(before.colour(after.current().target()).status()).as("rolling back to " + where)
                        .isEqualTo(ColourStatus.WARM);
            }
            if (transition.decision().accepted() && event instanceof dev.bluegreen.events.DeployRequested) {
                assertThat(before.current()).as("a deployment beside another " + where).isNull();
            }
            assertThat(after.colour(after.live()).status()).as(where).isEqualTo(ColourStatus.LIVE);
            if (after.colour(after.idle()).status() == ColourStatus.LIVE) {
                assertThat(after.provisioningColour()).as("deploying while both colours serve " + where).isNull();
            }
            history.then(id, event);
        }
    }

    /** Mostly the operation under way, sometimes an old or a fresh id: late, stale and foreign outcomes. */
    private static String pickId(Random random, AppState state, PipelineEvent event, List<String> ids) {
        boolean request = event instanceof dev.bluegreen.events.DeployRequested
                || event instanceof dev.bluegreen.events.RollbackRequested;
        if (request && random.nextInt(10) > 0) {
            String fresh = "d" + ids.size();
            ids.add(fresh);
            return fresh;
        }
        if (state.current() != null && random.nextInt(4) > 0) {
            return state.current().id();
        }
        return ids.get(random.nextInt(ids.size()));
    }

    private static final List<BiFunction<AppState, Random, PipelineEvent>> EVENTS = List.of(
            (state, random) -> History.deploy(random.nextBoolean() ? "v2" : "broken"),
            (state, random) -> History.rollback(),
            (state, random) -> History.automaticRollback(state.bake() == null ? "d0" : state.bake().deploymentId()),
            (state, random) -> History.promote(),
            (state, random) -> History.cancel(),
            (state, random) -> History.started(state.idle()),
            (state, random) -> History.provisioned(state.idle(), "v2"),
            (state, random) -> History.provisioned(state.idle(), "v2"),
            (state, random) -> History.provisioningFailed(state.idle()),
            (state, random) -> History.healthy(state.idle(), "v2"),
            (state, random) -> History.healthy(state.idle(), "v2"),
            (state, random) -> History.unhealthy(state.idle()),
            (state, random) -> History.awaiting(state.live(), state.idle()),
            (state, random) -> History.switched(state.live(), state.idle()),
            (state, random) -> History.switched(state.live(), state.idle()),
            (state, random) -> History.rolledBack(state.live(), state.idle()),
            (state, random) -> History.switchFailed(state.live(), state.idle()),
            (state, random) -> History.expired(Phase.values()[random.nextInt(Phase.values().length)]),
            (state, random) -> History.drift(state.live(), random.nextBoolean() ? Colour.BLUE : Colour.GREEN),
            (state, random) -> History.bothServing(state.live()));
}
