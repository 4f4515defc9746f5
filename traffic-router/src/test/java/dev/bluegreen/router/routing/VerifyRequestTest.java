package dev.bluegreen.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.bluegreen.apps.VerifySpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Phase;
import dev.bluegreen.lifecycle.ColourRecord;
import dev.bluegreen.lifecycle.ColourStatus;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.router.digitalocean.LoadBalancer;

/** What the router asks through the balancer, and the answer that tells the new version from the old one. */
class VerifyRequestTest {

    private static final VerifySpec VERSION = new VerifySpec("/version", "{{app}} {{ref}} ({{commit}}) on {{colour}}",
            null);

    @Test
    void theNewColoursValuesFillInTheExpectedText() {
        Move move = move(record("v2", "9f8e7d6"), record("v1", "0a1b2c3"));

        assertThat(VerifyRequest.expected(VERSION, move)).isEqualTo("shop v2 (9f8e7d6) on green");
    }

    @Test
    void aTextTheOldVersionWouldAnswerTooIsNotUsed() {
        VerifySpec commit = new VerifySpec("/version", "{{commit}}", null);

        assertThat(VerifyRequest.expected(commit, move(record("main", "0a1b2c3"), record("main", "0a1b2c3"))))
                .as("the same commit on both colours").isNull();
        assertThat(VerifyRequest.expected(commit, move(record("main", "9f8e7d6"), record("main", "0a1b2c3"))))
                .isEqualTo("9f8e7d6");
    }

    @Test
    void aValueTheHistoryDoesNotKnowLeavesNothingToExpect() {
        assertThat(VerifyRequest.expected(VERSION, move(record("v1", null), record("v2", "9f8e7d6")))).isNull();
    }

    @Test
    void theBalancersHttpAddressIsAskedUnlessABaseUrlIsSet() {
        LoadBalancer on80 = balancer("203.0.113.5", new LoadBalancer.ForwardingRule("https", 443, "http", 80),
                new LoadBalancer.ForwardingRule("http", 80, "http", 80));
        LoadBalancer on8080 = balancer("203.0.113.5", new LoadBalancer.ForwardingRule("http", 8080, "http", 80));

        assertThat(VerifyRequest.url(VERSION, on80)).isEqualTo(URI.create("http://203.0.113.5/version"));
        assertThat(VerifyRequest.url(VERSION, on8080)).isEqualTo(URI.create("http://203.0.113.5:8080/version"));
        assertThat(VerifyRequest.url(new VerifySpec("/version", "{{ref}}", "https://shop.example.com/"), on80))
                .isEqualTo(URI.create("https://shop.example.com/version"));
    }

    @Test
    void aBalancerWithoutAnAddressSaysWhatToSet() {
        LoadBalancer noIp = balancer(null, new LoadBalancer.ForwardingRule("http", 80, "http", 80));

        assertThatThrownBy(() -> VerifyRequest.url(VERSION, noIp)).isInstanceOf(IllegalStateException.class)
                .hasMessage("routing.verify cannot be asked through load balancer lb-1: it shows no IP address; set "
                        + "routing.verify.base-url");
    }

    private static LoadBalancer balancer(@Nullable String ip, LoadBalancer.ForwardingRule... rules) {
        return new LoadBalancer("lb-1", "shop-lb", ip, "active", null, List.of(), List.of(rules), null);
    }

    private static ColourRecord record(String ref, @Nullable String commit) {
        return new ColourRecord(ColourStatus.TOUCHED, ref, commit, "d-1");
    }

    private static Move move(ColourRecord green, ColourRecord blue) {
        Instant now = Instant.now();
        Operation deployment = new Operation("d-2", Operation.Kind.DEPLOYMENT, Phase.SWITCHING, Colour.GREEN,
                green.ref(), green.commit(), "alice", now, now, true, false);
        return new Move("shop", deployment, Colour.BLUE, false, green, blue);
    }
}
