@NullMarked
package dev.bluegreen.monitor;

import org.jspecify.annotations.NullMarked;
