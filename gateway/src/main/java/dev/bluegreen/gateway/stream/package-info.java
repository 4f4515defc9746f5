@NullMarked
package dev.bluegreen.gateway.stream;

import org.jspecify.annotations.NullMarked;
