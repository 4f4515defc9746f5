@NullMarked
package dev.bluegreen.gateway.webhook;

import org.jspecify.annotations.NullMarked;
