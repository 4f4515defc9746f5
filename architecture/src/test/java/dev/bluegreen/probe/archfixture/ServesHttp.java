package dev.bluegreen.probe.archfixture;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Breaks the rule on purpose: an HTTP client library that serves HTTP. */
public class ServesHttp {

    RouterFunction<ServerResponse> routes;
}
