/**
 * The plan of one deployment: every command it runs on a droplet, in order, with the deployment's values exported
 * and every placeholder filled in where the shell takes it literally.
 */
@NullMarked
package dev.bluegreen.deployplan;

import org.jspecify.annotations.NullMarked;
