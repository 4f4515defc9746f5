/** {@code bluegreen-preflight doctor}: checks every part a deployment depends on and says what to fix. */
@NullMarked
package dev.bluegreen.preflight.doctor;

import org.jspecify.annotations.NullMarked;
