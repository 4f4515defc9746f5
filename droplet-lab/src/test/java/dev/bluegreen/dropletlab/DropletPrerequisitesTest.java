package dev.bluegreen.dropletlab;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Where the lab cannot run, a test on real droplets is skipped, saying why, unless CI asks for them. */
class DropletPrerequisitesTest {

    private static final List<String> NOT_ROOT = List.of("it runs as a user other than root");

    @Test
    void aMachineThatLacksSomethingSkipsTheTestSayingWhatAndHowToFailInstead() {
        assertThatThrownBy(() -> DropletPrerequisites.assumeAvailable(NOT_ROOT, null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("it runs as a user other than root")
                .hasMessageContaining("BLUEGREEN_REQUIRE_DROPLETS=1");
    }

    @Test
    void whenCiRequiresTheDropletsALackingMachineFailsTheTest() {
        assertThatThrownBy(() -> DropletPrerequisites.assumeAvailable(NOT_ROOT, "1"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("it runs as a user other than root");
    }

    @Test
    void aMachineThatHasEverythingRunsTheTest() {
        assertThatCode(() -> DropletPrerequisites.assumeAvailable(List.of(), "1")).doesNotThrowAnyException();
    }
}
