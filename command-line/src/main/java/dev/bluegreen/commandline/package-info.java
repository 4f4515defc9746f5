/**
 * The set-up the bluegreen command lines share on picocli ({@link dev.bluegreen.commandline.Commands}), so that
 * {@code bluegreen}, {@code bluegreen-preflight}, the sandbox and the KRaft broker answer help and wrong usage alike.
 */
@NullMarked
package dev.bluegreen.commandline;

import org.jspecify.annotations.NullMarked;
