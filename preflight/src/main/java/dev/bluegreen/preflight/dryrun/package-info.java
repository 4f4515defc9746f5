/** {@code bluegreen-preflight dry-run}: what a deployment and its switch would do, printed and not done. */
@NullMarked
package dev.bluegreen.preflight.dryrun;

import org.jspecify.annotations.NullMarked;
