package dev.bluegreen.preflight.archfixture;

import dev.bluegreen.router.TrafficRouterApplication;

/** Breaks the rule on purpose, as the preflight did before issue 14: it used the traffic-router's classes. */
public class ReadsTheRoutersSettings {

    TrafficRouterApplication router;
}
