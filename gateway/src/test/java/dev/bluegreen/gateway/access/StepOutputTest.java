package dev.bluegreen.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.SwitchFailed;

/** What a reader without output is shown of each event that may quote a droplet. */
class StepOutputTest {

    private static final String ANSWERS = "503 in 4 ms (OperationalError: postgres://shop:hunter2@db/shop)";

    @Test
    void theBakeWatchsRollbackQuotesNoProbeBody() {
        String reason = "Droplet 102 failed 3 health checks in a row within 26 s after traffic moved to GREEN (bake "
                + "period 5 minutes): " + ANSWERS;

        RollbackRequested shown = (RollbackRequested) shownOf(new RollbackRequested("shop", "health-monitor", reason,
                "d-7f3a"));

        assertThat(shown.reason()).doesNotContain("hunter2").endsWith("503 in 4 ms (body hidden)");
        assertThat(shown.revertsDeployment()).isEqualTo("d-7f3a");
    }

    @Test
    void reasonsOtherServicesPassOnQuoteNoProbeBody() {
        List<PipelineEvent> events = List.of(
                new DeploymentExpired("shop", Phase.CHECKING, "the health deadline passed: droplet 102 said " + ANSWERS),
                new SwitchFailed("shop", Colour.BLUE, Colour.GREEN, "droplet 102 went unhealthy: " + ANSWERS),
                new RequestRefused("shop", "rollback", "blue was last seen unhealthy: " + ANSWERS));

        assertThat(events).map(StepOutputTest::shownOf).map(Object::toString)
                .allSatisfy(text -> assertThat(text).doesNotContain("hunter2").contains("(body hidden)"));
    }

    @Test
    void aPersonsOwnWordsAndEventsWithoutABodyAreShownAsTheyAre() {
        Envelope cancel = Envelope.of("gateway", "d-1", new CancelRequested("shop", "alice",
                "acceptance tests failed (3 of 40)", "ci"));
        Envelope rollback = Envelope.of("gateway", "d-2", new RollbackRequested("shop", "alice", "slow checkout"));

        assertThat(StepOutput.hiddenIn(cancel)).containsSame(cancel);
        assertThat(StepOutput.hiddenIn(rollback)).containsSame(rollback);
        assertThat(StepOutput.hiddenIn(Envelope.of("deploy-agent", "d-1",
                new DeploymentLog("shop", Colour.GREEN, 102L, "install", 1, List.of("ok"), false)))).isEmpty();
    }

    private static PipelineEvent shownOf(PipelineEvent event) {
        return StepOutput.hiddenIn(Envelope.of("health-monitor", "d-9", event)).orElseThrow().data();
    }
}
