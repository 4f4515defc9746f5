package dev.bluegreen.deployplan.archfixture;

import org.springframework.web.reactive.function.client.WebClient;

/** Breaks the rule on purpose: a library that should make no HTTP calls, making one. */
public class CallsOverHttp {

    WebClient http;
}
