package dev.bluegreen.router.routing;

import java.util.UUID;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.events.Colour;
import reactor.core.publisher.Mono;

/**
 * On start, finishes the switches a previous run was killed in the middle of. A balancer with both colours
 * attached is one: the colour recorded live before stays attached until the other serves, then goes; if the other
 * does not come to serve, it is taken out again. The outcome is published in a deployment of its own
 * ({@code recovery-<app>-<uuid>}): the one cut short cannot be told from the balancer.
 */
@Component
class InterruptedSwitches {

    private final AppCatalog catalog;
    private final SwitchLedger ledger;
    private final TrafficSwitcher switcher;
    private final TrafficListener listener;

    InterruptedSwitches(AppCatalog catalog, SwitchLedger ledger, TrafficSwitcher switcher, TrafficListener listener) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.switcher = switcher;
        this.listener = listener;
    }

    @EventListener(ApplicationReadyEvent.class)
    void finishInterruptedSwitches() {
        for (String app : catalog.names()) {
            AppSpec spec = catalog.require(app);
            Colour wasLive = ledger.recordedLive(app).orElse(spec.initialLiveColour());
            listener.publishOutcome(app, "recovery-" + app + "-" + UUID.randomUUID(),
                    () -> switcher.finishInterrupted(app, wasLive).onErrorResume(error -> Mono.empty()));
        }
    }
}
