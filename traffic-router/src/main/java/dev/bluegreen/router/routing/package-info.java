/** Moving an app's load balancer between its colours: to the healthy colour after a deploy, or back on rollback. */
@NullMarked
package dev.bluegreen.router.routing;

import org.jspecify.annotations.NullMarked;
