/**
 * The sample app the sandbox deploys: a git repository of its versions, built from the one source in the
 * {@code sample-app/} resources, and the deploy steps that bring a droplet to one of them.
 */
@NullMarked
package dev.bluegreen.sandbox.sampleapp;

import org.jspecify.annotations.NullMarked;
