/**
 * The bake watch: after traffic moved to a colour, its droplets are probed directly for a while, and a colour that
 * goes bad in that time is rolled back on the health-monitor's own request.
 */
@NullMarked
package dev.bluegreen.monitor.bake;

import org.jspecify.annotations.NullMarked;
