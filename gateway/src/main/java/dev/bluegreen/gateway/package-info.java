@NullMarked
package dev.bluegreen.gateway;

import org.jspecify.annotations.NullMarked;
