package dev.bluegreen.trafficplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.bluegreen.apps.VerifySpec;
import dev.bluegreen.digitalocean.LoadBalancer;
import dev.bluegreen.events.Colour;
import dev.bluegreen.lifecycle.ColourRecord;
import dev.bluegreen.lifecycle.ColourStatus;

/** What a switch asks through the balancer, and the answer that tells the new version from the old one. */
class VerifyRequestTest {

    private static final VerifySpec VERSION = new VerifySpec("/version", "{{app}} {{ref}} ({{commit}}) on {{colour}}",
            null);

    @Test
    void theNewColoursValuesFillInTheExpectedText() {
        assertThat(expected(VERSION, record("v2", "9f8e7d6"), record("v1", "0a1b2c3")))
                .isEqualTo("shop v2 (9f8e7d6) on green");
    }

    @Test
    void aTextTheOldVersionWouldAnswerTooIsNotUsed() {
        VerifySpec commit = new VerifySpec("/version", "{{commit}}", null);

        assertThat(expected(commit, record("main", "0a1b2c3"), record("main", "0a1b2c3")))
                .as("the same commit on both colours").isNull();
        assertThat(expected(commit, record("main", "9f8e7d6"), record("main", "0a1b2c3")))
                .isEqualTo("9f8e7d6");
    }

    @Test
    void aValueTheHistoryDoesNotKnowLeavesNothingToExpect() {
        assertThat(expected(VERSION, record("v1", null), record("v2", "9f8e7d6"))).isNull();
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

    /** What a move of shop to green expects, green running {@code arriving} and blue {@code leaving}. */
    private static @Nullable String expected(VerifySpec verify, ColourRecord arriving, ColourRecord leaving) {
        return VerifyRequest.expected(verify, "shop", Colour.GREEN, arriving, leaving);
    }
}
