@NullMarked
package dev.bluegreen.router;

import org.jspecify.annotations.NullMarked;
