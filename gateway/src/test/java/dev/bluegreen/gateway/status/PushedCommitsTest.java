package dev.bluegreen.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.bluegreen.gateway.status.PushedCommits.Known;

class PushedCommitsTest {

    private final PushedCommits pushed = new PushedCommits();

    @Test
    void aPushOfTheNewestCommitAgainIsKnownAsDeployedAndOneOfAnOlderCommitAsOlder() {
        assertThat(pushed.claim("shop", "main", "b", "a")).isEqualTo(Known.NEW);
        assertThat(pushed.claim("shop", "main", "c", "b")).isEqualTo(Known.NEW);

        assertThat(pushed.claim("shop", "main", "c", "b")).isEqualTo(Known.NEWEST);
        assertThat(pushed.claim("shop", "main", "b", "a")).isEqualTo(Known.OLDER);
        assertThat(pushed.claim("shop", "main", "a", "0000000")).isEqualTo(Known.OLDER);
    }

    @Test
    void aPushThatComesAfterTheOneThatFollowedItIsOlderByThatOnesBefore() {
        assertThat(pushed.claim("shop", "main", "e", "d")).isEqualTo(Known.NEW);

        assertThat(pushed.claim("shop", "main", "d", "c")).isEqualTo(Known.OLDER);
    }

    @Test
    void theSameCommitOnAnotherRefOrAppIsNew() {
        pushed.claim("shop", "main", "b", "a");

        assertThat(pushed.claim("shop", "v1.4.0", "b", "0000000")).isEqualTo(Known.NEW);
        assertThat(pushed.claim("wiki", "main", "b", "a")).isEqualTo(Known.NEW);
    }

    @Test
    void theHistoryReadOnStartTeachesTheOrderOfPushesButNeverMovesAKnownCommit() {
        pushed.learned("shop", "main", "b");
        pushed.learned("shop", "main", "c");
        pushed.learned("shop", "main", "b");

        assertThat(pushed.claim("shop", "main", "c", "b")).isEqualTo(Known.NEWEST);
        assertThat(pushed.claim("shop", "main", "b", "a")).isEqualTo(Known.OLDER);
    }

    @Test
    void aReleasedClaimDeploysWhenTheHostSendsThePushAgain() {
        pushed.claim("shop", "main", "b", "a");
        pushed.release("shop", "main", "b");

        assertThat(pushed.claim("shop", "main", "b", "a")).isEqualTo(Known.NEW);
    }
}
