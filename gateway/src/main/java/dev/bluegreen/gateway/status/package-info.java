@NullMarked
package dev.bluegreen.gateway.status;

import org.jspecify.annotations.NullMarked;
