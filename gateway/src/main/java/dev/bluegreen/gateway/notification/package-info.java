@NullMarked
package dev.bluegreen.gateway.notification;

import org.jspecify.annotations.NullMarked;
