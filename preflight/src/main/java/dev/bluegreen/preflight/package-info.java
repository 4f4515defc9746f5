/**
 * {@code bluegreen-preflight}: checks a bluegreen setup before it is trusted with traffic ({@code doctor}) and shows
 * what a deployment would do ({@code dry-run}). It reads the settings the services read and changes nothing.
 */
@NullMarked
package dev.bluegreen.preflight;

import org.jspecify.annotations.NullMarked;
