/**
 * The dashboard a team leaves open during a release, and the API's browsable description: the pages and their routes.
 * The page itself is static HTML, CSS and JavaScript modules under {@code static/dashboard}; it reads the same HTTP
 * API and event stream as any other client, with the token its user enters.
 */
@NullMarked
package dev.bluegreen.gateway.dashboard;

import org.jspecify.annotations.NullMarked;
