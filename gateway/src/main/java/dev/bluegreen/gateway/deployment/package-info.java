@NullMarked
package dev.bluegreen.gateway.deployment;

import org.jspecify.annotations.NullMarked;
