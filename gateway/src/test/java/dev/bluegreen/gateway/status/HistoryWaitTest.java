package dev.bluegreen.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppCatalogProperties;

/** Waiting for the history, and giving up on it, leaves the history as unread as it was. */
class HistoryWaitTest {

    private final DeploymentProjection projection = new DeploymentProjection(
            new AppCatalog(new AppCatalogProperties(Map.of())), new StatusProperties(100), Clock.systemUTC());

    @Test
    void aWaitThatTimesOutDoesNotCountTheHistoryAsRead() {
        assertThatThrownBy(() -> projection.whenHistoryRead(Duration.ofMillis(50)).block())
                .isInstanceOf(HistoryNotReadException.class);

        assertThat(projection.isHistoryRead()).isFalse();
        assertThat(projection.isCaughtUp()).isFalse();
    }

    @Test
    void aWaiterThatLeavesDoesNotCountTheHistoryAsRead() {
        Disposable waiting = projection.whenHistoryRead(Duration.ofMinutes(1)).subscribe();
        waiting.dispose();

        assertThat(projection.isHistoryRead()).isFalse();
    }

    @Test
    void aWaiterSeesTheHistoryReadOnceItIs() {
        projection.historyRead();

        assertThat(projection.whenHistoryRead(Duration.ofMillis(50)).then(Mono.just(true))
                .block()).isTrue();
        assertThat(projection.isHistoryRead()).isTrue();
    }
}
