@NullMarked
package dev.bluegreen.gateway.access;

import org.jspecify.annotations.NullMarked;
